import Directory
import Domain
import EventFlow
import Foundation
import Testing

@testable import Scheduling

/// The letters' part of docs/openapi/scheduling.yaml and docs/asyncapi.yaml
/// against the source: enums, model shapes and the events the code builds
/// (routes, roles and the consumer are SchedulingContractTests'). The live
/// responses and published events are checked in LetterAPITests.
struct LetterContractTests {
    static let file = "docs/openapi/scheduling.yaml"

    static func openapi() throws -> ContractOpenAPI {
        try ContractOpenAPI(documents: ContractDocuments(), file: file, checkedHeaders: [])
    }

    static func json(_ value: some Encodable) throws -> ContractJSON {
        try ContractJSON.parse(EventJSON.encoder.encode(value))
    }

    @Test func documentedEnumsAndShapesAreTheModels() throws {
        let openapi = try Self.openapi()
        #expect(openapi.enumeration("LetterKind") == LetterKind.allCases.map(\.rawValue))
        #expect(openapi.enumeration("LetterStatus") == LetterStatus.allCases.map(\.rawValue))
        #expect(openapi.enumeration("AddresseeStatus") == AddresseeStatus.allCases.map(\.rawValue))
        #expect(openapi.enumeration("LetterCauseKind") == LetterCauseKind.allCases.map(\.rawValue))
        #expect(openapi.enumeration("LetterOrigin") == ["office", "task-overdue", "escalation"].filter { LetterOrigin(rawValue: $0) != nil })
        #expect(openapi.enumeration("ReceiptSource") == ["notification", "unit", "report"].filter { ReceiptSource(rawValue: $0) != nil })
        for (name, value) in try Self.samples() {
            for problem in openapi.problems(of: value, asSchema: name) { Issue.record("\(name): \(problem)") }
        }
    }

    /// A draft, and a letter with every member set.
    static func letters() throws -> (draft: Letter, full: Letter) {
        let draft = LetterTransitionTests.draft()
        var full = draft
        try full.issue(
            by: "office-1", at: LetterTransitionTests.china("2026-09-30T02:00:00Z"),
            number: LetterNumberFormat.standard.number(.coordination, year: 2026, sequence: 1), calendar: .china)
        try full.receive("education-bureau", by: "l", at: LetterTransitionTests.china("2026-09-30T03:00:00Z"), via: .notification)
        try full.report("education-bureau", LetterReport(
            id: UUID(), text: "已办", attachments: [AttachmentReference(
                id: UUID(), fileName: "办理情况.pdf", mediaType: "application/pdf", size: 1024, sha256: String(repeating: "a", count: 64))],
            by: "l", at: LetterTransitionTests.china("2026-10-09T02:00:00Z"), onTime: true))
        try full.returnReport(
            "education-bureau", by: "office-1", at: LetterTransitionTests.china("2026-10-09T03:00:00Z"), reason: "请补充",
            newDue: try LocalDate(parsing: "2026-10-20"))
        try full.report("education-bureau", LetterReport(
            id: UUID(), text: "已补充", attachments: [], by: "l", at: LetterTransitionTests.china("2026-10-12T02:00:00Z"), onTime: true))
        try full.accept("education-bureau", by: "office-1", at: LetterTransitionTests.china("2026-10-12T03:00:00Z"))
        try full.markReminded("market-regulation-bureau", at: LetterTransitionTests.china("2026-10-12T00:30:00Z"))
        try full.markEscalated("market-regulation-bureau", at: LetterTransitionTests.china("2026-10-13T16:00:00Z"), by: UUID())
        full.cancelled = LetterCancellation(by: "office-1", at: LetterTransitionTests.china("2026-09-30T01:00:00Z"), reason: "示例")
        full.closedAt = LetterTransitionTests.china("2026-10-20T01:00:00Z")
        return (draft, full)
    }

    static func samples() throws -> [(String, ContractJSON)] {
        let (draft, full) = try letters()
        let stats = UnitStatistics.compute(
            unitId: "education-bureau", from: try LocalDate(parsing: "2026-09-01"), to: try LocalDate(parsing: "2026-10-31"),
            letters: [full], tasks: [TaskFact(
                leadUnitId: "education-bureau", assignedAt: LetterTransitionTests.china("2026-09-01T02:00:00Z"),
                due: try LocalDate(parsing: "2026-09-10"), completedAt: LetterTransitionTests.china("2026-09-05T02:00:00Z"))],
            at: LetterTransitionTests.china("2026-11-01T00:00:00Z"))
        let empty = UnitStatistics.compute(
            unitId: "finance-bureau", from: try LocalDate(parsing: "2026-09-01"), to: try LocalDate(parsing: "2026-10-31"),
            letters: [], tasks: [], at: LetterTransitionTests.china("2026-11-01T00:00:00Z"))
        return [
            ("Letter", try json(draft)), ("Letter", try json(full)),
            ("UnitStatistics", try json(stats)), ("UnitStatistics", try json(empty)),
            ("LetterAttachment", try json(LetterAttachment(
                id: UUID(), letterId: draft.id, unitId: "education-bureau", fileName: "办理情况.pdf", kind: .pdf,
                mediaType: "application/pdf", size: 1024, sha256: String(repeating: "a", count: 64),
                uploadedBy: "liaison-education-bureau", uploadedAt: LetterTransitionTests.china("2026-10-09T01:00:00Z")))),
        ]
    }

    // MARK: - AsyncAPI against the source

    /// A unit's event is the whole letter with the unit's id and reply due
    /// beside its members, in one object; a letter's own event has neither.
    @Test func aUnitsEventIsTheLetterWithTheUnitsTwoMembers() throws {
        let (draft, full) = try Self.letters()
        let letterObject = try #require(try JSONSerialization.jsonObject(with: EventJSON.encoder.encode(full)) as? [String: Any])
        let escalation = UUID()
        let event = try LetterEvent.unit(EventType.letterEscalated, full, "market-regulation-bureau", at: Date(), escalationLetterId: escalation)
        let payload = try #require(try JSONSerialization.jsonObject(with: Data(event.payload)) as? [String: Any])
        #expect(Set(payload.keys) == ["letter", "escalationLetterId"])
        #expect(payload["escalationLetterId"] as? String == escalation.uuidString)
        let letter = try #require(payload["letter"] as? [String: Any])
        #expect(Set(letter.keys) == Set(letterObject.keys).union(["unitId", "replyDue"]))
        #expect(letter["unitId"] as? String == "market-regulation-bureau")
        #expect(letter["replyDue"] as? String == full.addressee("market-regulation-bureau")?.replyDue?.description)
        #expect(letter["number"] as? String == letterObject["number"] as? String)
        let drafted = try #require(try JSONSerialization.jsonObject(
            with: Data(LetterEvent.letter(EventType.letterDrafted, draft, at: Date()).payload)) as? [String: Any])
        #expect(Set(drafted.keys) == ["letter"])
        #expect((drafted["letter"] as? [String: Any])?["unitId"] == nil)
    }

    @Test func everyLetterEventIsDocumentedAndBuiltAsDocumented() throws {
        let asyncapi = try ContractAsyncAPI(documents: ContractDocuments())
        let (key, _) = try #require(asyncapi.channel(topic: Topic.schedulingLetters))
        let names = Set(try asyncapi.messages(ofChannel: key).values.compactMap { $0["name"] as? String })
        #expect(names == Set(EventType.published(on: Topic.schedulingLetters)))
        #expect(Set(EventType.letters) == names)

        let (draft, full) = try Self.letters()
        var events = try LetterEvent.issued(full, at: Date())
        events.append(try LetterEvent.letter(EventType.letterDrafted, draft, at: Date()))
        events.append(try LetterEvent.letter(EventType.letterCancelled, draft, at: Date()))
        for type in [EventType.letterReceived, EventType.letterReported, EventType.letterAccepted, EventType.letterReturned,
                     EventType.letterReplyDueSoon] {
            events.append(try LetterEvent.unit(type, full, "education-bureau", at: Date()))
        }
        events.append(try LetterEvent.unit(EventType.letterEscalated, full, "market-regulation-bureau", at: Date(), escalationLetterId: UUID()))
        #expect(Set(events.map(\.type)) == names)
        for event in events {
            for problem in try asyncapi.problems(
                topic: event.topic, type: event.type, key: event.aggregateId, headers: nil, subject: event.subject, payload: event.payload)
            {
                Issue.record(Comment(rawValue: problem))
            }
        }
    }
}
