import Domain
import Foundation

/// An off-campus training institution (校外培训机构) under regulation.
struct TrainingInstitution: Codable, Sendable, Equatable, VersionedAggregate {
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

/// Which member units approve, register, set the standard for and supervise
/// an institution; in each list the units that lead first (`Responsibility`).
struct ResponsibleUnits: Codable, Sendable, Equatable {
    var approving: [String]
    var registering: [String]
    var standardSetting: [String]
    var supervising: [String]
}

/// Which status changes make sense: revoked and closed are final (closed
/// after revoked is allowed: a revoked institution still has to wind up).
enum InstitutionLifecycle {
    static func allows(_ from: InstitutionStatus, to: InstitutionStatus) -> Bool {
        switch (from, to) {
        case (.pending, .approved), (.pending, .revoked), (.pending, .closed): true
        case (.approved, .suspended), (.approved, .revoked), (.approved, .closed): true
        case (.suspended, .approved), (.suspended, .revoked), (.suspended, .closed): true
        case (.revoked, .closed): true
        default: false
        }
    }
}
