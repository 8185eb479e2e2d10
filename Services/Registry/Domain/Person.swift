import Domain
import Foundation

/// A person in the mechanism, with the roles they hold and how to reach them.
struct Person: Codable, Sendable, Equatable, VersionedAggregate {
    var id: UUID
    var name: String
    /// nil for a convener who is not in a member unit (县政府分管教育领导).
    var unitId: String?
    /// Job title, e.g. 副局长 or 基础教育股股长.
    var title: String?
    var roles: [PersonRole]
    var channels: ContactChannels
    var version: Int
    var updatedAt: Date
}


/// Where alerts reach a person. Validated on input (mobile: 11 digits from 1;
/// email: one @ with a dot after it).
struct ContactChannels: Codable, Sendable, Equatable {
    var mobile: String?
    var email: String?
    var dingTalkUserId: String?
    var weComUserId: String?
}
