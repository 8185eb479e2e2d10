import Domain
import Foundation
import Testing

@testable import Scheduling

/// RFC 5545/5546 as a client reads it: CRLF, folding at 75 octets without
/// splitting a character, escaping, a stable UID and SEQUENCE, REQUEST and CANCEL.
@Suite struct ICalendarTests {
    let stamp = MeetingSample.instant("2026-11-30T10:00:00")
    let organizer = ICalendarDocument.Party(name: "房县“双减”工作专门协调机制办公室", address: "urn:shuangjian:office")

    func document(_ meeting: Meeting, _ method: ICalendarDocument.Method) -> String {
        let attendees = [
            ICalendarDocument.Attendee(
                party: .init(name: "县教育局", address: "urn:shuangjian:unit:education-bureau"), participation: .accepted, isGroup: true),
            ICalendarDocument.Attendee(
                party: .init(name: "张三", address: "urn:uuid:0b5e7a3c-0000-4000-8000-000000000009"), participation: .needsAction),
        ]
        return ICalendarDocument(
            method: method,
            events: [.init(meeting: meeting, organizer: organizer, attendees: attendees,
                           description: MeetingDescription.text(of: meeting) { $0 == "education-bureau" ? "县教育局" : $0 })],
            name: nil, stamp: stamp
        ).text
    }

    /// Content lines with folds undone (RFC 5545 §3.1).
    func unfolded(_ text: String) -> [String] {
        text.replacingOccurrences(of: "\r\n ", with: "").components(separatedBy: "\r\n").filter { !$0.isEmpty }
    }

    @Test func everyLineEndsInCRLFAndIsAtMost75Octets() {
        let text = document(MeetingSample.meeting(), .request)
        #expect(text.hasSuffix("END:VCALENDAR\r\n"))
        #expect(!text.replacingOccurrences(of: "\r\n", with: "").contains("\n"))
        for line in text.components(separatedBy: "\r\n") {
            #expect(line.utf8.count <= 75, "\(line)")
            // A fold never splits a UTF-8 sequence: every physical line is valid text.
            #expect(String(validatingUTF8: Array(line.utf8CString)) != nil)
        }
    }

    @Test func theRequestCarriesTheEventAsRFC5546Requires() {
        let lines = unfolded(document(MeetingSample.meeting(), .request))
        let expected = [
            "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Fang County//Shuangjian Scheduling 1.0//ZH", "CALSCALE:GREGORIAN",
            "METHOD:REQUEST",
            "BEGIN:VTIMEZONE", "TZID:Asia/Shanghai", "BEGIN:STANDARD", "DTSTART:19700101T000000", "TZOFFSETFROM:+0800",
            "TZOFFSETTO:+0800", "TZNAME:CST", "END:STANDARD", "END:VTIMEZONE",
            "BEGIN:VEVENT",
            "UID:meeting-5a6b7c8d-0000-4000-8000-000000000001@shuangjian.fangxian.gov.cn",
            "SEQUENCE:0",
            "DTSTAMP:20261130T020000Z",
            "CREATED:20261102T010000Z",
            "LAST-MODIFIED:20261102T010000Z",
            "DTSTART;TZID=Asia/Shanghai:20261210T090000",
            "DTEND;TZID=Asia/Shanghai:20261210T113000",
            "SUMMARY:2026年下半年协调机制全体会议",
            "LOCATION:县教育局三楼会议室",
            "DESCRIPTION:主持人：王明\\n议程：\\n1. 通报全县“双减”工作进展（县教育局汇报）\\n2. 校外培训预收费监管专题研究\\n"
                + "   邀请专家参与专题研究：李华（湖北大学，教育经济）",
            "CATEGORIES:协调机制全体会议",
            "STATUS:CONFIRMED",
            "TRANSP:OPAQUE",
            "ORGANIZER;CN=房县“双减”工作专门协调机制办公室:urn:shuangjian:office",
            "ATTENDEE;CN=县教育局;CUTYPE=GROUP;ROLE=REQ-PARTICIPANT;PARTSTAT=ACCEPTED:urn:shuangjian:unit:education-bureau",
            "ATTENDEE;CN=张三;ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=TRUE:urn:uuid:0b5e7a3c-0000-4000-8000-000000000009",
            "END:VEVENT", "END:VCALENDAR",
        ]
        #expect(lines == expected)
    }

    @Test func aCancellationKeepsTheUIDAndRaisesTheSequence() throws {
        var meeting = MeetingSample.meeting()
        try meeting.cancel(by: "office", at: stamp, reason: "时间调整")
        let lines = unfolded(document(meeting, .cancel))
        #expect(lines.contains("METHOD:CANCEL"))
        #expect(lines.contains("UID:meeting-5a6b7c8d-0000-4000-8000-000000000001@shuangjian.fangxian.gov.cn"))
        #expect(lines.contains("SEQUENCE:1"))
        #expect(lines.contains("STATUS:CANCELLED"))
    }

    @Test func textIsEscapedAndParametersQuoted() {
        #expect(ICalendarText.escape("a;b,c\\d\ne\r\nf") == "a\\;b\\,c\\\\d\\ne\\nf")
        #expect(ICalendarText.parameter("县教育局") == "县教育局")
        #expect(ICalendarText.parameter("Li, Hua: \"expert\"") == "\"Li, Hua: 'expert'\"")
    }

    @Test func foldingCountsOctetsNotCharacters() {
        let line = "SUMMARY:" + String(repeating: "双", count: 40)   // 8 + 120 octets
        let folded = ICalendarText.fold(line)
        let physical = folded.components(separatedBy: "\r\n").filter { !$0.isEmpty }
        #expect(physical.count == 2)
        #expect(physical[0].utf8.count == 74)   // 8 + 22×3: the 23rd character would make 77
        #expect(physical[1].hasPrefix(" "))
        #expect(folded.replacingOccurrences(of: "\r\n ", with: "") == line + "\r\n")
    }
}
