import Foundation

// The registry's aggregates (DESIGN.md §1). Plain values: no I/O here.
// JSON (HTTP bodies and event payloads) uses these names, camelCase.

/// A member unit of the mechanism (成员单位), with its written duties.
struct MemberUnit: Codable, Sendable, Equatable {
    /// A stable English slug, e.g. `education-bureau`.
    var id: String
    /// The name as the notice writes it, e.g. 县教育局.
    var name: String
    /// Other spellings that mean this unit (e.g. 县消防教援大队).
    var aliases: [String]
    var duties: [Duty]
    /// The unit's member (成员, its deputy head) and liaison (联络员), if named.
    var memberID: UUID?
    var liaisonID: UUID?
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
    var proposalID: UUID?
}

/// One item of a unit's 职责分工. A duty the notice gives to several units
/// together (e.g. 县委政法委、县司法局、县信访局: 维稳) appears in each of
/// them with the same `sharedKey` and `sharedWith` listing the others.
struct Duty: Codable, Sendable, Equatable {
    /// `<unit id>/<n>`, stable across seed runs.
    var id: String
    var text: String
    var topics: [DutyTopic]
    var sharedKey: String?
    var sharedWith: [String]
    /// Which training institutions the duty is about, where the notice narrows
    /// it (e.g. 县科经局 approves 科技类 only; 县民政局 registers 非营利性 only).
    /// nil: not narrowed. Read by `Responsibility` to derive `ResponsibleUnits`.
    var scope: DutyScope? = nil
}

/// The institutions a duty covers. Each nil member means "any".
struct DutyScope: Codable, Sendable, Equatable {
    var categories: [InstitutionCategory]?
    /// true: non-profit only; false: for-profit only; nil: either.
    var nonProfit: Bool?
}

/// What a duty is about, so "who is responsible for X" has an answer.
enum DutyTopic: String, Codable, Sendable, CaseIterable, Equatable {
    case partyBuilding = "party-building"
    case publicity
    case advertising
    case textbooks
    case stability
    case staffing
    case coordination
    case dailySupervision = "daily-supervision"
    case schoolQuality = "school-quality"
    case homework
    case fees
    case approvalStandards = "approval-standards"
    case approval
    case registration
    case funding
    case teacherIncentives = "teacher-incentives"
    case publicSecurity = "public-security"
    case fireSafety = "fire-safety"
    case earthquakeSafety = "earthquake-safety"
    case facilitySafety = "facility-safety"
    case epidemicPrevention = "epidemic-prevention"
    case priceSupervision = "price-supervision"
    case antiMonopoly = "anti-monopoly"
    case lawEnforcement = "law-enforcement"
    case prepaidFeeRisk = "prepaid-fee-risk"
    case financing
    case afterSchoolService = "after-school-service"
    case familyEducation = "family-education"
}

/// A person in the mechanism, with the roles they hold and how to reach them.
struct Person: Codable, Sendable, Equatable {
    var id: UUID
    var name: String
    /// nil for a convener who is not in a member unit (县政府分管教育领导).
    var unitID: String?
    /// Job title, e.g. 副局长 or 基础教育股股长.
    var title: String?
    var roles: [PersonRole]
    var channels: ContactChannels
    var version: Int
    var updatedAt: Date
}

enum PersonRole: String, Codable, Sendable, CaseIterable, Equatable {
    case convener, member, liaison, office
}

/// Where alerts reach a person. Validated on input (mobile: 11 digits from 1;
/// email: one @ with a dot after it).
struct ContactChannels: Codable, Sendable, Equatable {
    var mobile: String?
    var email: String?
    var dingTalkUserID: String?
    var weComUserID: String?
}

/// The fixed positions of the mechanism (召集人 ×2, 协调机制办公室).
struct MechanismPosition: Codable, Sendable, Equatable {
    /// `convener-county-government`, `convener-education-bureau`, `office`.
    var id: String
    var title: String
    /// The unit the position belongs to, if any.
    var unitID: String?
    var holderID: UUID?
}

/// Admitting a new member unit: proposed by the office → studied at a
/// mechanism meeting → approved by the county government → admitted.
/// Either step may reject it.
struct MembershipProposal: Codable, Sendable, Equatable {
    var id: UUID
    var unitName: String
    /// The id the unit gets when admitted (an English slug like the seeded ones).
    var proposedUnitID: String
    /// The duties the new unit would take on, with their topics.
    var duties: [ProposedDuty]
    var reason: String
    var status: ProposalStatus
    var proposed: Step
    var studied: StudyStep?
    var decided: DecisionStep?
    /// The unit created on approval.
    var admittedUnitID: String?
    var version: Int

    struct Step: Codable, Sendable, Equatable {
        var by: String
        var at: Date
    }

    struct StudyStep: Codable, Sendable, Equatable {
        var by: String
        var at: Date
        /// The mechanism meeting that studied it (e.g. its minutes' reference).
        var meetingReference: String
        var recommended: Bool
        var note: String?
    }

    struct DecisionStep: Codable, Sendable, Equatable {
        var by: String
        var at: Date
        var approved: Bool
        /// The county government's approval document number (when approved).
        var approvalDocument: String?
        var reason: String?
    }
}

struct ProposedDuty: Codable, Sendable, Equatable {
    var text: String
    var topics: [DutyTopic]
}

enum ProposalStatus: String, Codable, Sendable, Equatable {
    case proposed, studied, approved, rejected
}

/// An off-campus training institution (校外培训机构) under regulation.
struct TrainingInstitution: Codable, Sendable, Equatable {
    var id: UUID
    /// 统一社会信用代码, 18 characters, GB 32100-2015 check character valid.
    var creditCode: String
    var name: String
    var category: InstitutionCategory
    var nonProfit: Bool
    var address: String
    var licenceNumber: String?
    var status: InstitutionStatus
    var statusReason: String?
    var whitelisted: Bool
    var blacklisted: Bool
    /// Derived from the duty matrix when registered (see `Responsibility`).
    var responsibleUnits: ResponsibleUnits
    var version: Int
    var registeredAt: Date
    var updatedAt: Date
}

enum InstitutionCategory: String, Codable, Sendable, CaseIterable, Equatable {
    /// 学科类
    case subject
    /// 非学科类: 体育、艺术
    case sportsArts = "sports-arts"
    /// 非学科类: 科技
    case scienceTechnology = "science-technology"
    /// 其他非学科类
    case otherNonSubject = "other-non-subject"
}

enum InstitutionStatus: String, Codable, Sendable, CaseIterable, Equatable {
    case pending, approved, suspended, revoked, closed
}

/// Which member units approve, register and set the standard for an institution.
struct ResponsibleUnits: Codable, Sendable, Equatable {
    var approving: [String]
    var registering: [String]
    var standardSetting: [String]
    var supervising: [String]
}
