import Domain
import EventFlow
import Foundation
import ServiceKit
import Testing
import TestSupport

@testable import Scheduling

extension ContractOpenAPI {
    /// docs/openapi/scheduling.yaml.
    static func scheduling() throws -> ContractOpenAPI {
        try ContractOpenAPI(documents: ContractDocuments(), file: "docs/openapi/scheduling.yaml", checkedHeaders: [])
    }
}

/// Keeps docs/openapi/scheduling.yaml and the scheduling service's part of
/// docs/asyncapi.yaml true: against the source (routes, roles, parameters,
/// enums, model shapes, the events it publishes and the topics it reads).
/// The approach and the helpers are the registry's and the notification service's.
struct SchedulingContractTests {
    static let eventPrefix = "cn.gov.fangxian.shuangjian.scheduling.task."

    @Test func theDocumentParsesAndEveryRefResolves() throws {
        let documents = ContractDocuments()
        let openapi = try ContractOpenAPI.scheduling()
        let asyncapi = try ContractAsyncAPI(documents: documents)
        #expect((openapi.root["openapi"] as? String)?.hasPrefix("3.1") == true)
        for url in [openapi.url, asyncapi.url] {
            let (refs, unresolved) = try documents.references(in: url)
            #expect(!refs.isEmpty)
            for problem in unresolved { Issue.record(Comment(rawValue: problem)) }
        }
        #expect(try documents.misspelledIdentifiers(in: openapi.url) == [])
    }

    static let api = ContractServiceAPI(apiFolder: "Services/Scheduling/API")

    @Test func routesRolesAndParametersMatchTheSource() throws {
        let openapi = try ContractOpenAPI.scheduling()
        let routes = try Self.api.routes()
        #expect(routes.count >= 12, "found only \(routes.count) routes in the source")
        for problem in try Self.api.problems(against: openapi) { Issue.record(Comment(rawValue: problem)) }
    }

    static func sampleTask(full: Bool) -> WorkTask {
        let now = Date()
        let due = LocalDate("2026-12-08")!
        return WorkTask(
            id: UUID(), title: "落实课后服务经费保障", detail: full ? "统筹安排课后服务经费。" : nil,
            origin: TaskOrigin(kind: full ? .decision : .office, reference: full ? "decision-1" : nil),
            leadUnitId: "finance-bureau", assistingUnitIds: full ? ["education-bureau"] : [], dueDate: due,
            status: full ? .returned : .assigned, overdueAt: full ? now : nil, remindersSent: full ? [3, 1] : [],
            acceptedAt: full ? now : nil, submittedAt: nil, completedAt: full ? now : nil,
            returns: full ? [TaskReturn(reason: "请补充。", previousDueDate: due, dueDate: LocalDate("2026-12-15")!, returnedBy: "office-1", returnedAt: now)] : [],
            createdBy: "office-1", createdAt: now, version: 3, updatedAt: now)
    }

    static func sampleAttachment() -> Scheduling.Attachment {
        Scheduling.Attachment(
            id: UUID(), taskId: UUID(), fileName: "工作方案.pdf", kind: .pdf, mediaType: "application/pdf", size: 1024,
            sha256: String(repeating: "ab", count: 32), uploadedBy: "liaison-1", uploadedAt: Date())
    }

    static func sampleReport(full: Bool) -> TaskReport {
        TaskReport(
            id: UUID(), taskId: UUID(), kind: full ? .completion : .progress, unitId: "finance-bureau", text: "已完成。",
            attachments: full ? [sampleAttachment()] : [], reportedBy: "liaison-1", reportedAt: Date())
    }

    static func json(_ value: some Encodable) throws -> ContractJSON {
        try ContractJSON.parse(EventJSON.encoder.encode(value))
    }

    @Test func documentedEnumsAndShapesAreTheModels() throws {
        let openapi = try ContractOpenAPI.scheduling()
        #expect(openapi.enumeration("TaskStatus") == TaskStatus.allCases.map(\.rawValue))
        #expect(openapi.enumeration("TaskOriginKind") == TaskOriginKind.allCases.map(\.rawValue))
        #expect(openapi.enumeration("TaskReportKind") == TaskReportKind.allCases.map(\.rawValue))
        #expect(openapi.enumeration("AttachmentKind") == AttachmentKind.allCases.map(\.rawValue))
        for full in [true, false] {
            let samples: [(String, ContractJSON)] = [
                ("Task", try Self.json(Self.sampleTask(full: full))),
                ("TaskReport", try Self.json(Self.sampleReport(full: full))),
                ("Attachment", try Self.json(Self.sampleAttachment())),
            ]
            for (schema, value) in samples {
                for problem in openapi.problems(of: value, asSchema: schema) { Issue.record("\(full ? "full" : "minimal") sample: \(problem)") }
            }
        }
    }

    /// Every task event, built as the code builds it.
    static func builtEvents(full: Bool) throws -> [OutboxEvent] {
        let task = sampleTask(full: full)
        var events = try [EventType.taskAssigned, EventType.taskAccepted, EventType.taskCompleted, EventType.taskOverdue]
            .map { try TaskEvent.state($0, task, at: Date()) }
        var progress = sampleReport(full: false)
        progress.kind = .progress
        events.append(try TaskEvent.reported(task, progress))
        events.append(try TaskEvent.reported(task, sampleReport(full: true)))
        events.append(try TaskEvent.returned(task, reason: "请补充。", at: Date()))
        events.append(try TaskEvent.dueSoon(task, workingDaysLeft: 3, at: Date()))
        return events
    }

    @Test func everyPublishedTaskEventIsAMessageOnTheTasksChannel() throws {
        let asyncapi = try ContractAsyncAPI(documents: ContractDocuments())
        let published = Set(EventType.published(on: Topic.schedulingTasks))
        #expect(Set(try Self.builtEvents(full: true).map(\.type)) == published)
        let documented = try asyncapi.messageNames(prefix: Self.eventPrefix)
        #expect(documented == published, "documented \(documented.sorted()), published \(published.sorted())")
        for full in [true, false] {
            for event in try Self.builtEvents(full: full) {
                #expect(event.topic == Topic.schedulingTasks)
                for problem in try asyncapi.problems(
                    topic: event.topic, type: event.type, key: event.aggregateId, headers: nil, subject: event.subject, payload: event.payload)
                {
                    Issue.record("\(full ? "full" : "minimal") sample: \(problem)")
                }
            }
        }
    }

    /// The meetings channel documents exactly the types the service publishes
    /// on it; their payloads are checked against it where the real code
    /// writes them (MeetingAPIHarness and MeetingWatcherTests check the outbox).
    @Test func everyPublishedMeetingEventIsAMessageOnTheMeetingsChannel() throws {
        let asyncapi = try ContractAsyncAPI(documents: ContractDocuments())
        let (key, _) = try #require(asyncapi.channel(topic: Topic.schedulingMeetings))
        let documented = Set(try asyncapi.messages(ofChannel: key).values.compactMap { $0["name"] as? String })
        #expect(documented == Set(EventType.published(on: Topic.schedulingMeetings)))
        #expect(Set(EventType.meetingTypes) == Set(EventType.published(on: Topic.schedulingMeetings)))
    }

    /// The topics the `scheduling` group reads have a `receive` operation
    /// tagged scheduling listing exactly the types its handlers take.
    @Test func consumedTopicsAreDocumentedAsReceived() throws {
        let asyncapi = try ContractAsyncAPI(documents: ContractDocuments())
        let handled = Set(SchedulingHandlers.make(settings: .defaults, clock: { Date() }).types)
        var received: Set<String> = []
        for topic in ConsumerGroup.scheduling.topics {
            let (key, _) = try #require(asyncapi.channel(topic: topic), "\(topic) has no channel")
            let operations = asyncapi.operations("receive", onChannel: key).filter { $0.tags.contains("scheduling") }
            #expect(operations.count == 1, "\(topic): \(operations.count) receive operations tagged scheduling")
            let messages = try asyncapi.messages(ofChannel: key)
            for messageKey in operations.first?.messages ?? [] {
                if let name = messages[messageKey]?["name"] as? String { received.insert(name) }
            }
        }
        #expect(received == handled, "received \(received.sorted()), handled \(handled.sorted())")
    }
}
