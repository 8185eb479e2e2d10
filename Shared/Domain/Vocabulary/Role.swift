/// The roles a caller acts in, as bearer tokens carry them in their `role`
/// claim (DESIGN.md §5). Every service authorizes against these.
public enum Role: String, Sendable, Hashable, Codable, CaseIterable, CustomStringConvertible {
    /// 协调机制办公室: the office at the Education Bureau that runs the mechanism.
    case office
    /// 召集人: a convener.
    case convener
    /// A member unit's liaison: sees and answers only its own unit's tasks and letters.
    case unit
    /// A county system that sends events or reads data.
    case countySystem = "county-system"
    /// Operators (dead letters, replays).
    case ops

    public var description: String { rawValue }
}
