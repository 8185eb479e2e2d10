import Foundation
import Testing

@testable import Scheduling

/// Which sittings a person's calendar feed holds.
@Suite struct PersonalMeetingsTests {
    let member = UUID(), liaison = UUID(), convener = UUID(), chair = UUID(), stranger = UUID()

    var units: [MeetingDirectory.Unit] {
        [.init(id: "education-bureau", name: "县教育局", memberId: member, liaisonId: liaison),
         .init(id: "market-bureau", name: "县市场监管局", memberId: nil, liaisonId: nil)]
    }

    func person(_ id: UUID, convener: Bool = false) -> MeetingDirectory.Person {
        .init(id: id, name: "某某", unitId: convener ? nil : "education-bureau", isConvener: convener)
    }

    @Test func membersGetPlenariesLiaisonsLiaisonMeetingsConvenersEveryPlenaryChairsTheirOwn() {
        let plenary = MeetingSample.meeting(kind: .plenary)
        let liaisonMeeting = MeetingSample.meeting(kind: .liaison)
        var otherUnits = MeetingSample.meeting(kind: .plenary, units: ["market-bureau"])
        otherUnits.chair = Chair(personId: chair, name: "李副县长", delegatedBy: "周县长")
        let all = [plenary, liaisonMeeting, otherUnits]
        func ids(_ meetings: [Meeting]) -> [MeetingKind] { meetings.map(\.kind) }
        #expect(ids(PersonalMeetings.filter(all, person: person(member), units: units)) == [.plenary])
        #expect(ids(PersonalMeetings.filter(all, person: person(liaison), units: units)) == [.liaison])
        #expect(PersonalMeetings.filter(all, person: person(convener, convener: true), units: units).count == 2)
        #expect(PersonalMeetings.filter(all, person: person(chair), units: units).map(\.chair.personId) == [chair])
        #expect(PersonalMeetings.filter(all, person: person(stranger), units: units).isEmpty)
    }
}
