/// The four early-warning levels of 专题研判制度, lowest first, so that
/// `<` reads "less severe than".
public enum WarningLevel: String, Codable, Sendable, CaseIterable, Comparable {
    case blue, yellow, orange, red

    /// 蓝 / 黄 / 橙 / 红.
    public var chineseName: String {
        switch self {
        case .blue: "蓝色"
        case .yellow: "黄色"
        case .orange: "橙色"
        case .red: "红色"
        }
    }

    private var rank: Int { Self.allCases.firstIndex(of: self)! }

    public static func < (lhs: WarningLevel, rhs: WarningLevel) -> Bool { lhs.rank < rhs.rank }
}
