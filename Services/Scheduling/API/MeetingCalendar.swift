import Domain
import Foundation
import Hummingbird
import ServiceKit

/// Sittings as iCalendar objects: the organizer is the office, the attendees
/// the expected units' people (a unit's member at a plenary, its liaison at
/// a liaison meeting; the deputy or the answered attendee by name), each with
/// the PARTSTAT of the unit's answer.
struct MeetingCalendar: Sendable {
    let directory: MeetingDirectory
    let settings: MeetingSettings

    static let organizerName = "房县“双减”工作专门协调机制办公室"

    func document(method: ICalendarDocument.Method, meetings: [Meeting], name: String?, at time: Date) async throws -> String {
        let units = Dictionary(try await directory.activeUnits().map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        var people: [UUID: MeetingDirectory.Person] = [:]
        for unit in units.values {
            for id in [unit.memberId, unit.liaisonId].compactMap({ $0 }) where people[id] == nil {
                people[id] = try await directory.person(id)
            }
        }
        let organizer = ICalendarDocument.Party(name: Self.organizerName, address: settings.organizerAddress)
        let events = meetings.map { meeting in
            ICalendarDocument.Event(
                meeting: meeting, organizer: organizer,
                attendees: meeting.attendance.map { attendee(for: $0, kind: meeting.kind, units: units, people: people) },
                description: MeetingDescription.text(of: meeting) { units[$0]?.name ?? $0 })
        }
        return ICalendarDocument(method: method, events: events, name: name, stamp: time).text
    }

    private func attendee(
        for attendance: UnitAttendance, kind: MeetingKind, units: [String: MeetingDirectory.Unit],
        people: [UUID: MeetingDirectory.Person]
    ) -> ICalendarDocument.Attendee {
        let unit = units[attendance.unitId]
        let unitName = unit?.name ?? attendance.unitId
        let participation: ICalendarDocument.Participation
        switch attendance.answer?.kind {
        case nil: participation = .needsAction
        case .attends, .deputy: participation = .accepted
        case .absent: participation = .declined
        }
        let postId = kind.expectedPost == .member ? unit?.memberId : unit?.liaisonId
        if let postId, attendance.answer?.kind != .deputy {
            let name = people[postId]?.name ?? attendance.answer?.attendeeName ?? unitName
            return .init(party: .init(name: "\(unitName) \(name)", address: "urn:uuid:\(postId.uuidString.lowercased())"),
                         participation: participation)
        }
        let name = attendance.answer?.attendeeName.map { "\(unitName) \($0)" } ?? unitName
        return .init(party: .init(name: name, address: "urn:shuangjian:unit:\(attendance.unitId)"),
                     participation: participation, isGroup: attendance.answer?.kind != .deputy)
    }

    /// `text/calendar` with the iTIP method (RFC 5546 §2.1.1 / RFC 6047 content type parameter).
    static func response(_ text: String, method: ICalendarDocument.Method) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "text/calendar; charset=utf-8; method=\(method.rawValue)"
        headers[.cacheControl] = "no-store"
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }
}
