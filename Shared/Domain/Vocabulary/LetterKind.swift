/// The two letters of 督办协调制度 (通知 三(四)): the office 发出督办函或协调函.
public enum LetterKind: String, Codable, Sendable, CaseIterable, Equatable {
    /// 督办函: to a unit that failed a duty, a decision or a task.
    case supervision
    /// 协调函: to one or more units on a matter between them.
    case coordination

    /// The name the notice gives it.
    public var chineseName: String {
        switch self {
        case .supervision: "督办函"
        case .coordination: "协调函"
        }
    }
}
