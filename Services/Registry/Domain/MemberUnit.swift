import Domain
import Foundation

// The registry's aggregates (DESIGN.md §1) are plain values: no I/O in
// Domain/. Their Codable names are the JSON of the API and the events.

/// A member unit of the mechanism (成员单位), with its written duties.
struct MemberUnit: Codable, Sendable, Equatable, VersionedAggregate {
    /// A stable English slug, e.g. `education-bureau`.
    var id: String
    /// The name as the notice writes it, e.g. 县教育局.
    var name: String
    /// Other spellings that mean this unit (e.g. 县消防教援大队).
    var aliases: [String]
    var duties: [Duty]
    /// The unit's member (成员, its deputy head) and liaison (联络员), if named.
    var memberId: UUID?
    var liaisonId: UUID?
    var contact: UnitContact
    /// How it became a member: the notice, or a membership proposal's approval.
    var admission: Admission
    var version: Int
    var updatedAt: Date
}

/// A unit's own contact details: the only part its liaison may change.
struct UnitContact: Codable, Sendable, Equatable {
    var phone: String?
    var email: String?
    var address: String?
}

struct Admission: Codable, Sendable, Equatable {
    /// The notice's number (房政办函〔2022〕37号) or the approval document's.
    var reference: String
    var admittedAt: Date
    var proposalId: UUID?
}

/// One item of a unit's 职责分工. A duty the notice gives to several units
/// together (e.g. 县委政法委、县司法局、县信访局: 维稳) appears in each of
/// them with the same `sharedKey` and `sharedWith` listing the others.
///
/// Where the notice says a unit works 会同 (leading) or 配合 (assisting)
/// other units, `role` and `partnerUnitIds` record it; a partner whose own
/// paragraph says nothing about that work gets a derived item carrying the
/// same sentence, with `sourceDutyId` naming the item it comes from
/// (docs/duty-matrix.md), so that "who is responsible for X" finds it.
struct Duty: Codable, Sendable, Equatable {
    /// `<unit id>/<n>`, stable across seed runs: the unit's own items first,
    /// in the notice's order, then the items derived from other units' sentences.
    var id: String
    var text: String
    var topics: [DutyTopic]
    var sharedKey: String?
    var sharedWith: [String]
    /// Which training institutions the duty is about, where the notice narrows
    /// it (e.g. 县科经局 approves 科技类 only; 县民政局 registers 非营利性 only).
    /// nil: not narrowed. Read by `Responsibility` to derive `ResponsibleUnits`.
    var scope: DutyScope? = nil
    /// The unit's part: `lead` (负责, 会同 others) or `assisting` (配合 another
    /// unit, or named in another unit's 会同 sentence).
    var role: DutyRole = .lead
    /// The member units the sentence names as working with this unit on the
    /// item (会同财政、教育等部门 → 县财政局, 县教育局); for a derived item, the
    /// unit(s) whose paragraph the sentence is in.
    var partnerUnitIds: [String] = []
    /// A derived item only: the duty (`<unit id>/<n>` of another unit) whose
    /// sentence this is. Absent on a unit's own items.
    var sourceDutyId: String? = nil
}

extension Duty {
    enum CodingKeys: String, CodingKey {
        case id, text, topics, sharedKey, sharedWith, scope, role, partnerUnitIds, sourceDutyId
    }

    /// Reads units stored or published before duties had roles (all their
    /// own, with no partners), so an older database still starts and the
    /// seeder can bring its duties up to date.
    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(String.self, forKey: .id)
        text = try container.decode(String.self, forKey: .text)
        topics = try container.decode([DutyTopic].self, forKey: .topics)
        sharedKey = try container.decodeIfPresent(String.self, forKey: .sharedKey)
        sharedWith = try container.decode([String].self, forKey: .sharedWith)
        scope = try container.decodeIfPresent(DutyScope.self, forKey: .scope)
        role = try container.decodeIfPresent(DutyRole.self, forKey: .role) ?? .lead
        partnerUnitIds = try container.decodeIfPresent([String].self, forKey: .partnerUnitIds) ?? []
        sourceDutyId = try container.decodeIfPresent(String.self, forKey: .sourceDutyId)
    }

    /// Whether the unit's own paragraph gives it this item (not derived).
    var isOwn: Bool { sourceDutyId == nil }
}

/// The institutions a duty covers. Each nil member means "any".
struct DutyScope: Codable, Sendable, Equatable {
    var categories: [InstitutionCategory]?
    /// true: non-profit only; false: for-profit only; nil: either.
    var nonProfit: Bool?
}
