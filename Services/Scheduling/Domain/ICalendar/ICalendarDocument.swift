import Domain
import Foundation

/// An iCalendar object (RFC 5545) of sittings: the invitation a notice
/// carries (METHOD:REQUEST, or CANCEL for a cancelled sitting; RFC 5546) or a
/// subscribable feed (METHOD:PUBLISH, RFC 5546 §3.2.1, with every sitting
/// the owner is expected at, cancelled ones kept as STATUS:CANCELLED so
/// subscribed clients remove them).
///
/// Times are written in Asia/Shanghai with a VTIMEZONE (China has kept
/// +08:00 without daylight saving since 1991), DTSTAMP in UTC.
struct ICalendarDocument: Sendable {
    enum Method: String, Sendable {
        case request = "REQUEST"
        case cancel = "CANCEL"
        case publish = "PUBLISH"
    }

    struct Event: Sendable {
        var meeting: Meeting
        var organizer: Party
        var attendees: [Attendee]
        /// DESCRIPTION's text (agenda, invitations), already composed.
        var description: String
    }

    /// ORGANIZER / ATTENDEE: a calendar user address (a URI) and its name.
    struct Party: Sendable, Equatable {
        var name: String
        var address: String
    }

    struct Attendee: Sendable, Equatable {
        var party: Party
        /// RFC 5545 §3.2.12 PARTSTAT.
        var participation: Participation
        /// CUTYPE=GROUP for a unit with no person known.
        var isGroup: Bool = false
    }

    enum Participation: String, Sendable {
        case needsAction = "NEEDS-ACTION"
        case accepted = "ACCEPTED"
        case declined = "DECLINED"
    }

    var method: Method
    var events: [Event]
    /// X-WR-CALNAME for a feed.
    var name: String?
    /// When the object was made (DTSTAMP).
    var stamp: Date

    static let productId = "-//Fang County//Shuangjian Scheduling 1.0//ZH"
    static let timeZoneId = "Asia/Shanghai"

    /// The whole object, CRLF line ends, every line folded.
    var text: String {
        var lines = [
            "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:\(Self.productId)", "CALSCALE:GREGORIAN",
            "METHOD:\(method.rawValue)",
        ]
        if let name {
            lines.append("X-WR-CALNAME:\(ICalendarText.escape(name))")
            lines.append("X-WR-TIMEZONE:\(Self.timeZoneId)")
            lines.append("REFRESH-INTERVAL;VALUE=DURATION:PT1H")
            lines.append("X-PUBLISHED-TTL:PT1H")
        }
        lines += [
            "BEGIN:VTIMEZONE", "TZID:\(Self.timeZoneId)", "BEGIN:STANDARD", "DTSTART:19700101T000000",
            "TZOFFSETFROM:+0800", "TZOFFSETTO:+0800", "TZNAME:CST", "END:STANDARD", "END:VTIMEZONE",
        ]
        for event in events { lines += eventLines(event) }
        lines.append("END:VCALENDAR")
        return lines.map(ICalendarText.fold).joined()
    }

    private func eventLines(_ event: Event) -> [String] {
        let meeting = event.meeting
        let zone = ";TZID=\(Self.timeZoneId):"
        var lines = [
            "BEGIN:VEVENT",
            "UID:\(meeting.icalendarUID)",
            "SEQUENCE:\(meeting.sequence)",
            "DTSTAMP:\(ICalendarText.utc(stamp))",
            "CREATED:\(ICalendarText.utc(meeting.scheduled.at))",
            "LAST-MODIFIED:\(ICalendarText.utc(meeting.updatedAt))",
            "DTSTART" + zone + LocalDateTime(meeting.startsAt).basicFormat,
            "DTEND" + zone + LocalDateTime(meeting.endsAt).basicFormat,
            "SUMMARY:\(ICalendarText.escape(meeting.title))",
            "LOCATION:\(ICalendarText.escape(meeting.place))",
            "DESCRIPTION:\(ICalendarText.escape(event.description))",
            "CATEGORIES:\(ICalendarText.escape(meeting.kind.title))",
            "STATUS:\(meeting.status == .cancelled || method == .cancel ? "CANCELLED" : "CONFIRMED")",
            "TRANSP:OPAQUE",
            "ORGANIZER;CN=\(ICalendarText.parameter(event.organizer.name)):\(event.organizer.address)",
        ]
        for attendee in event.attendees {
            var parameters = ["CN=\(ICalendarText.parameter(attendee.party.name))"]
            if attendee.isGroup { parameters.append("CUTYPE=GROUP") }
            parameters.append("ROLE=REQ-PARTICIPANT")
            parameters.append("PARTSTAT=\(attendee.participation.rawValue)")
            if method == .request && attendee.participation == .needsAction { parameters.append("RSVP=TRUE") }
            lines.append("ATTENDEE;" + parameters.joined(separator: ";") + ":" + attendee.party.address)
        }
        lines.append("END:VEVENT")
        return lines
    }
}
