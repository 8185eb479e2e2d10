import Foundation

/// The sittings a person is expected at, for their calendar feed: those they
/// chair; as a convener every plenary; as a unit's member the plenaries their
/// unit is expected at; as its liaison the liaison meetings.
enum PersonalMeetings {
    static func filter(_ meetings: [Meeting], person: MeetingDirectory.Person, units: [MeetingDirectory.Unit]) -> [Meeting] {
        let memberOf = Set(units.filter { $0.memberId == person.id }.map(\.id))
        let liaisonOf = Set(units.filter { $0.liaisonId == person.id }.map(\.id))
        return meetings.filter { meeting in
            if meeting.chair.personId == person.id { return true }
            let expected = Set(meeting.attendance.map(\.unitId))
            switch meeting.kind {
            case .plenary: return person.isConvener || !memberOf.isDisjoint(with: expected)
            case .liaison: return !liaisonOf.isDisjoint(with: expected)
            }
        }
    }
}
