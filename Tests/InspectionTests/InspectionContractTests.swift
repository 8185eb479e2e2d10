import Domain
import EventFlow
import Foundation
import ServiceKit
import Testing

@testable import Inspection

/// Keeps docs/openapi/inspection.yaml and the inspection service's part of
/// docs/asyncapi.yaml true: against the source (routes, roles, parameters,
/// enums, model shapes, the event types it publishes, the county types and
/// topics it reads). The approach and helpers are the registry's.
struct InspectionContractTests {
    static let api = ContractServiceAPI(
        apiFolder: "Services/Inspection/API",
        queryPatterns: [ContractSource.queryGet, #"query\.(?:parse|date)\("([A-Za-z]+)""#])

    static func openapi() throws -> ContractOpenAPI {
        try ContractOpenAPI(documents: ContractDocuments(), file: "docs/openapi/inspection.yaml", checkedHeaders: [])
    }

    static func json(_ value: some Encodable) throws -> ContractJSON {
        try ContractJSON.parse(EventJSON.encoder.encode(value))
    }

    @Test func theDocumentParsesAndEveryRefResolves() throws {
        let documents = ContractDocuments()
        let openapi = try Self.openapi()
        #expect((openapi.root["openapi"] as? String)?.hasPrefix("3.1") == true)
        for url in [openapi.url, try ContractAsyncAPI(documents: documents).url] {
            let (refs, unresolved) = try documents.references(in: url)
            #expect(!refs.isEmpty)
            for problem in unresolved { Issue.record(Comment(rawValue: problem)) }
        }
        #expect(try documents.misspelledIdentifiers(in: openapi.url) == [])
    }

    @Test func routesRolesAndParametersMatchTheSource() throws {
        let openapi = try Self.openapi()
        let routes = try Self.api.routes()
        #expect(routes.count >= 12, "found only \(routes.count) routes in the source")
        for problem in try Self.api.problems(against: openapi) { Issue.record(Comment(rawValue: problem)) }
    }

    @Test func documentedEnumsAndShapesAreTheModels() throws {
        let openapi = try Self.openapi()
        #expect(openapi.enumeration("SignalKind") == SignalKind.allCases.map(\.rawValue))
        #expect(openapi.enumeration("CountySignalType") == SignalKind.allCases.map(\.eventType))
        #expect(openapi.enumeration("CountySignalType") == EventType.countySignals)
        #expect(openapi.enumeration("SignalSeverity") == SignalSeverity.allCases.map(\.rawValue))
        #expect(openapi.enumeration("WarningLevel") == WarningLevel.allCases.map(\.rawValue))
        #expect(openapi.enumeration("WarningStatus") == Warning.Status.allCases.map(\.rawValue))
        #expect(openapi.enumeration("DutyTopic") == DutyTopic.allCases.map(\.rawValue))
        #expect(openapi.enumeration("DutyRole") == DutyRole.allCases.map(\.rawValue))
        #expect(openapi.enumeration("CampaignStatus") == Campaign.Status.allCases.map(\.rawValue))
        #expect(openapi.enumeration("InspectionSubjectKind") == InspectionSubjectKind.allCases.map(\.rawValue))
        #expect(openapi.enumeration("InspectionStatus") == Inspection.Status.allCases.map(\.rawValue))
        #expect(openapi.enumeration("InspectionAssignment") == Inspection.Assignment.allCases.map(\.rawValue))
        #expect(openapi.enumeration("ChecklistItemSource") == ChecklistItem.Source.allCases.map(\.rawValue))
        #expect(openapi.enumeration("ItemOutcome") == ItemResult.Outcome.allCases.map(\.rawValue))
        #expect(openapi.enumeration("FindingStatus") == Finding.Status.allCases.map(\.rawValue))
        #expect(openapi.enumeration("AttachmentKind") == AttachmentKind.allCases.map(\.rawValue))
        for full in [true, false] {
            let sample = try CampaignSamples.make(full: full)
            let verification = DrawRoutes.Verification(
                drawId: sample.draw.id, algorithm: sample.draw.algorithm, seed: sample.draw.seed, matches: true,
                recorded: sample.draw.assignments, recomputed: sample.draw.assignments)
            let samples: [(String, ContractJSON)] = [
                ("Campaign", try Self.json(sample.campaign)),
                ("CampaignPage", try Self.json(CampaignStore.Page(items: [sample.campaign], page: 1, pageSize: 50, total: 1))),
                ("DrawRecord", try Self.json(sample.draw)),
                ("DrawList", try Self.json(DrawRoutes.DrawList(items: [sample.draw]))),
                ("DrawVerification", try Self.json(verification)),
                ("Inspection", try Self.json(sample.inspection)),
                ("EvidenceList", try Self.json(Items(items: sample.inspection.evidence))),
                ("InspectionPage", try Self.json(InspectionStore.Page(items: [sample.inspection], page: 1, pageSize: 50, total: 1))),
                ("Finding", try Self.json(sample.finding)),
                ("FindingPage", try Self.json(FindingStore.Page(items: [sample.finding], page: 1, pageSize: 50, total: 1))),
                ("CampaignReport", try Self.json(CampaignReport.compile(
                    note: "", inspections: [sample.inspection], findings: [sample.finding], recipientUnitIds: [], by: "o", at: Date()))),
                ("InspectionStatistics", try Self.json(InspectionStatistics.compute(
                    units: [(id: "education-bureau", name: "县教育局")], inspections: [sample.inspection], findings: [sample.finding],
                    warningsRaised: full ? ["education-bureau": ["orange": 2]] : [:],
                    openWarnings: full ? ["education-bureau": ["red": 1]] : [:], from: full ? try LocalDate(year: 2026, month: 1, day: 1) : nil,
                    to: nil, campaignId: full ? sample.campaign.id : nil))),
            ]
            for (schema, value) in samples {
                for problem in openapi.problems(of: value, asSchema: schema) { Issue.record("\(full ? "full" : "minimal") \(schema): \(problem)") }
            }
        }
        for full in [true, false] {
            let (signal, warning) = try Samples.make(full: full)
            let samples: [(String, ContractJSON)] = [
                ("SignalRecord", try Self.json(signal)),
                ("CountySignal", try Self.json(signal.data)),
                ("SignalReceipt", try Self.json(SignalRoutes.Receipt(signal: signal, duplicate: !full, warningId: full ? warning.id : nil))),
                ("Warning", try Self.json(warning)),
                ("WarningPage", try Self.json(WarningStore.Page(items: [warning], page: 1, pageSize: 50, total: 1))),
                ("SignalPage", try Self.json(SignalStore.Page(items: [signal], page: 1, pageSize: 50, total: 1))),
                ("WarningStatistics", try Self.json(WarningRoutes.Statistics(openByLevel: ["blue": 1, "yellow": 0, "orange": 0, "red": 2]))),
            ]
            for (schema, value) in samples {
                for problem in openapi.problems(of: value, asSchema: schema) { Issue.record("\(full ? "full" : "minimal") \(schema): \(problem)") }
            }
        }
        // The documented patterns are the code's.
        let schemas = (openapi.root["components"] as? [String: Any])?["schemas"] as? [String: Any]
        let concerns = (schemas?["SignalConcerns"] as? [String: Any])?["properties"] as? [String: Any]
        #expect((concerns?["unitId"] as? [String: Any])?["pattern"] as? String == SignalValidation.unitIdPattern.pattern)
        let institution = (concerns?["institution"] as? [String: Any])?["properties"] as? [String: Any]
        #expect((institution?["creditCode"] as? [String: Any])?["pattern"] as? String == SignalValidation.creditCodePattern.pattern)
    }

    /// Every type the service publishes is a message of the warnings channel
    /// with a send operation, its payload as built here; the county types
    /// and the registry types it reads are documented as received by `inspection`.
    @Test func eventsMatchTheAsyncAPIDocument() throws {
        let asyncapi = try ContractAsyncAPI(documents: ContractDocuments())
        let published = Set(EventType.published(on: Topic.inspectionWarnings))
        #expect(published == Set(EventType.inspectionWarnings))
        let inspections = Set(EventType.published(on: Topic.inspectionInspections))
        #expect(inspections == Set(EventType.inspectionInspections))
        #expect(try asyncapi.messageNames(prefix: "cn.gov.fangxian.shuangjian.inspection.") == published.union(inspections))
        for full in [true, false] {
            let (_, warning) = try Samples.make(full: full)
            var events = try [EventType.warningRaised, EventType.warningConfirmed, EventType.warningCirculated, EventType.warningClosed].map {
                try InspectionEvent.warning($0, warning)
            }
            events.append(try InspectionEvent.warning(EventType.warningEscalated, warning, previousLevel: .yellow))
            events.append(try InspectionEvent.warning(EventType.warningLevelChanged, warning, previousLevel: .red))
            let request = InspectionEvent.SpecialStudyRequest(for: warning, rules: try RiskRules.bundled(), calendar: .china, at: Date())
            events.append(try InspectionEvent.specialStudy(request, warning))
            #expect(Set(events.map(\.type)) == published)
            for event in events {
                for problem in try asyncapi.problems(
                    topic: event.topic, type: event.type, key: event.aggregateId, headers: nil, subject: event.subject, payload: event.payload)
                {
                    Issue.record("\(full ? "full" : "minimal") sample: \(problem)")
                }
            }
        }
        for full in [true, false] {
            let sample = try CampaignSamples.make(full: full)
            var events = [
                try CampaignEvent.campaign(EventType.campaignOpened, sample.campaign, noticeUnitIds: full ? ["education-bureau"] : nil),
                try CampaignEvent.campaign(EventType.campaignReportCirculated, sample.campaign),
                try CampaignEvent.campaign(EventType.campaignGroupFormed, sample.campaign),
                try CampaignEvent.draw(sample.draw, sample.campaign),
            ]
            for type in [EventType.inspectionAssigned, EventType.inspectionChecklistChanged, EventType.inspectionSubmitted] {
                events.append(try CampaignEvent.inspection(type, sample.inspection))
            }
            for type in [EventType.findingRaised, EventType.findingAwaitingRecheck, EventType.findingRecheckFailed, EventType.findingClosed] {
                events.append(try CampaignEvent.finding(type, sample.finding))
            }
            #expect(Set(events.map(\.type)) == inspections)
            for event in events {
                for problem in try asyncapi.problems(
                    topic: event.topic, type: event.type, key: event.aggregateId, headers: nil, subject: event.subject, payload: event.payload)
                {
                    Issue.record("\(full ? "full" : "minimal") campaign sample: \(problem)")
                }
            }
        }
        #expect(try asyncapi.messageNames(prefix: "cn.gov.fangxian.shuangjian.county.") == Set(EventType.countySignals))
        for topic in ConsumerGroup.inspection.topics {
            let channel = try #require(asyncapi.channel(topic: topic), "no channel for \(topic)")
            let operations = asyncapi.operations("receive", onChannel: channel.key).filter { $0.tags.contains("inspection") }
            #expect(operations.count == 1, "\(topic): \(operations.count) receive operations tagged inspection")
            #expect(operations.first?.messages == Set(try asyncapi.messages(ofChannel: channel.key).keys))
        }
        // What the handlers take is what the group's topics carry.
        let handled = Set(InspectionHandlers.make(intake: SignalIntake(rules: try RiskRules.bundled(), calendar: .china, now: { Date() })).types)
        #expect(handled == Set(EventType.countySignals + EventType.registry + EventType.published(on: Topic.schedulingTasks)))
    }
}

/// A signal and a warning with every optional member (full) or none.
enum Samples {
    static func make(full: Bool) throws -> (SignalRecord, Warning) {
        let now = Date()
        let data = SignalPayload(
            reference: "12345-1", occurredAt: now, severity: .high, summary: "违规开展学科类培训",
            concerns: .init(institution: .init(creditCode: full ? Fixture.creditCode : nil, name: "房县启航培训学校")),
            topics: full ? [.fees] : nil, location: full ? "房县城关镇" : nil, amountYuan: full ? 120_000 : nil,
            injured: full ? 0 : nil, deaths: full ? 0 : nil, platform: full ? "微博" : nil, url: full ? "https://weibo.com/1" : nil)
        let subject = Subject(
            kind: .institution, key: "institution:x", name: "房县启航培训学校", institutionId: full ? UUID() : nil,
            creditCode: full ? Fixture.creditCode : nil, unitId: full ? "education-bureau" : nil, topic: full ? .fees : nil,
            registered: full ? true : nil)
        let signal = SignalRecord(
            id: UUID(), source: Fixture.hotline, eventId: "ticket-1", type: EventType.hotlineComplaintReceived, kind: .hotlineComplaint,
            via: .kafka, receivedAt: now, subject: subject, topics: [.dailySupervision], data: data)
        let rules = try RiskRules.bundled()
        let explanation = RiskScore.evaluate(
            full ? [signal.scored, signal.scored] : [], at: now, receivedAfter: full ? now.addingTimeInterval(-60) : nil, rules: rules)
        var warning = Warning.raise(
            id: UUID(), subject: subject, explanation: explanation,
            units: full ? [ResponsibleUnit(unitId: "education-bureau", name: "县教育局", role: .lead, basis: ["supervising"])] : [],
            rules: rules, calendar: .china, at: now)
        if full {
            try warning.confirm(by: "office-1", at: now, note: "属实")
            try warning.circulate(by: "office-1", at: now, note: "通报")
            try warning.changeLevel(to: .red, reason: "情况严重", by: "office-1", rules: rules, calendar: .china, at: now)
            try warning.close(by: "office-1", at: now, reason: "已处置")
            warning.specialStudyRequested = true
        }
        return (signal, warning)
    }
}
