/// The posts a person holds in the mechanism (通知 二(一)): 召集人, a unit's
/// 成员 (its deputy head) and 联络员, and the 协调机制办公室's staff.
public enum PersonRole: String, Codable, Sendable, CaseIterable, Equatable {
    case convener, member, liaison, office
}
