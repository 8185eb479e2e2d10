/// A unit's part in one item of 职责分工 (通知 二(二)). The notice writes
/// who leads with 会同 ("县妇联:负责会同教育部门办好家长学校": 县妇联 leads,
/// 县教育局 takes part) and who assists with 配合 ("团县委、县科协:…配合教育部门
/// 做好课后服务有关工作": they assist, 县教育局 leads). An item with neither
/// word is its unit's own responsibility: `lead`.
public enum DutyRole: String, Codable, Sendable, CaseIterable, Equatable {
    /// 负责 / 会同 others: the unit answers for the item.
    case lead
    /// 配合 another unit, or named in another unit's 会同 sentence.
    case assisting

    /// The other side of a sentence: whom A 会同 assists A; whom A 配合 leads.
    public var counterpart: DutyRole {
        switch self {
        case .lead: .assisting
        case .assisting: .lead
        }
    }
}
