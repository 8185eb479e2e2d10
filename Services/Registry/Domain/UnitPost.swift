import Domain
import Foundation

/// The two posts every member unit fills (通知 二(一)): its 成员 (the
/// deputy head who sits in the mechanism) and its 联络员 (liaison).
enum UnitPost: Sendable {
    case member, liaison

    /// The role the post's holder has.
    var role: PersonRole {
        switch self {
        case .member: .member
        case .liaison: .liaison
        }
    }
}

extension MemberUnit {
    /// Who holds `post` now, if anyone.
    func holder(of post: UnitPost) -> UUID? {
        switch post {
        case .member: memberId
        case .liaison: liaisonId
        }
    }

    mutating func appoint(_ person: UUID, to post: UnitPost) {
        switch post {
        case .member: memberId = person
        case .liaison: liaisonId = person
        }
    }
}
