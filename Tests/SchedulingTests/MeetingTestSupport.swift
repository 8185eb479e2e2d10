import Domain
import Foundation

@testable import Scheduling

/// Sittings to test with, at fixed times (China time).
enum MeetingSample {
    static func instant(_ text: String) -> Date {
        (try! LocalDateTime(parsing: text)).instant()
    }

    static let scheduledAt = instant("2026-11-02T09:00:00")

    static func meeting(
        kind: MeetingKind = .plenary, units: [String] = ["education-bureau", "market-bureau"],
        startsAt: String = "2026-12-10T09:00:00", endsAt: String = "2026-12-10T11:30:00"
    ) -> Meeting {
        Meeting(
            id: UUID(uuidString: "5a6b7c8d-0000-4000-8000-000000000001")!, kind: kind, origin: .series, requestId: nil,
            title: "2026年下半年协调机制全体会议", startsAt: instant(startsAt), endsAt: instant(endsAt),
            place: "县教育局三楼会议室", chair: Chair(personId: nil, name: "王明", delegatedBy: nil),
            agenda: [
                AgendaItem(
                    id: UUID(uuidString: "5a6b7c8d-0000-4000-8000-0000000000a1")!, title: "通报全县“双减”工作进展",
                    presenterUnitId: "education-bureau", invitations: []),
                AgendaItem(
                    id: UUID(uuidString: "5a6b7c8d-0000-4000-8000-0000000000a2")!, title: "校外培训预收费监管专题研究",
                    presenterUnitId: nil,
                    invitations: [Invitation(kind: .expert, name: "李华", organisation: "湖北大学", field: "教育经济", contact: "13800000000")]),
            ],
            status: .scheduled, attendance: units.map { UnitAttendance(unitId: $0, answer: nil, chasedAt: [], recorded: nil) },
            minutes: nil, sequence: 0, scheduled: .init(by: "office", at: scheduledAt), cancelled: nil, version: 1,
            updatedAt: scheduledAt)
    }
}
