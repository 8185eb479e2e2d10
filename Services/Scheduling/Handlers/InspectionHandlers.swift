import Audit
import Domain
import EventFlow
import Foundation
import Logging
import Postgres
import ServiceKit

/// The inspection service's events as the scheduling service acts on them
/// (the contract between the two services; docs/asyncapi.yaml):
///
/// - a warning raised, escalated or changed in level: each handling (处置)
///   step becomes its unit's task (origin `warning-handling`, reference = the
///   step's id), once — the warning carries every step so far, and the steps
///   that made their task before find it;
/// - `special-study.requested`: an ad hoc meeting request for a 专题研判
///   session, for the conveners to approve or refuse (id = the request's id);
/// - a finding raised or failing its re-check, with a rectification: the
///   round's task (origin `inspection-finding`, reference = `rectification.id`);
///   a closed finding is noted (the office still accepts the task).
///
/// Each in the event's transaction; what cannot be applied (an unknown unit,
/// a step id not of its warning) is a dead letter naming the field.
enum InspectionHandlers {
    static let actor = AuditActor.system("scheduling.inspection")
    static let logger = Logger(label: "scheduling.inspection")

    static func register(
        on handlers: inout EventHandlers, deadlines: TaskDeadlines, now: @escaping @Sendable () -> Date
    ) {
        for type in [EventType.warningRaised, EventType.warningEscalated, EventType.warningLevelChanged] {
            handlers.on(type, InspectionPayload.WarningState.self) { event, connection in
                try await handlingSteps(of: event.payload.warning, deadlines: deadlines, at: now(), on: connection)
            }
        }
        // Read and acknowledged: they change no step (the office's acts on the warning itself).
        for type in [EventType.warningConfirmed, EventType.warningCirculated, EventType.warningClosed] {
            handlers.on(type, InspectionPayload.WarningState.self) { _, _ in }
        }
        handlers.on(EventType.specialStudyRequested, InspectionPayload.SpecialStudyState.self) { event, connection in
            try await specialStudy(event.payload, source: event.event.source, at: now(), on: connection)
        }
        for type in [EventType.findingRaised, EventType.findingRecheckFailed] {
            handlers.on(type, InspectionPayload.FindingState.self) { event, connection in
                try await rectification(of: event.payload.finding, deadlines: deadlines, at: now(), on: connection)
            }
        }
        handlers.on(EventType.findingClosed, InspectionPayload.FindingState.self) { event, connection in
            try await closed(event.payload.finding, on: connection)
        }
    }

    /// One task per handling step not yet made.
    static func handlingSteps(
        of warning: InspectionPayload.Warning, deadlines: TaskDeadlines, at now: Date, on connection: PostgresConnection
    ) async throws {
        for (index, step) in warning.handlingSteps.enumerated() {
            let field = "warning.handlingSteps[\(index)]"
            guard step.id.hasPrefix(warning.stepPrefix), step.id.count > warning.stepPrefix.count else {
                throw EventRejected("\(field).id: must be \(warning.stepPrefix)<n>, not \(step.id)")
            }
            try await create(warning.draft(for: step), field: field, deadlines: deadlines, at: now, on: connection)
        }
    }

    static func specialStudy(
        _ state: InspectionPayload.SpecialStudyState, source: String, at now: Date, on connection: PostgresConnection
    ) async throws {
        if let problem = state.problems.first { throw EventRejected("\(problem.field): \(problem.detail)") }
        let request = state.adHocRequest(source: source, at: now)
        guard try await AdHocRequestStore.insertIfAbsent(request, on: connection) else { return }
        try await Journal.record(
            try MeetingEvent.request(EventType.adHocRequested, request), by: actor, at: now, on: connection)
    }

    /// The current round's task, once; the finding's state noted.
    static func rectification(
        of finding: InspectionPayload.Finding, deadlines: TaskDeadlines, at now: Date, on connection: PostgresConnection
    ) async throws {
        guard try await note(finding, on: connection) else { return }
        guard let rectification = finding.rectification else { return }
        let prefix = finding.id.uuidString.lowercased() + "/"
        guard rectification.id.lowercased().hasPrefix(prefix), rectification.id.count > prefix.count else {
            throw EventRejected("finding.rectification.id: must be \(prefix)<round>, not \(rectification.id)")
        }
        try await create(finding.draft(for: rectification), field: "finding.rectification", deadlines: deadlines, at: now, on: connection)
    }

    /// A closed finding changes no task: the office accepts the rectification
    /// task as any other (the contract); the closing is on record here.
    static func closed(_ finding: InspectionPayload.Finding, on connection: PostgresConnection) async throws {
        guard try await note(finding, on: connection) else { return }
        logger.info("finding closed", metadata: [
            "finding": "\(finding.id)", "unit": "\(finding.unitId)",
            "rectification": "\(finding.rectification?.id ?? "none")",
        ])
    }

    /// false: a later version of the finding was noted already (this event is stale; nothing to do).
    private static func note(_ finding: InspectionPayload.Finding, on connection: PostgresConnection) async throws -> Bool {
        try await InspectionFindingStore.note(
            id: finding.id, unitId: finding.unitId, status: finding.status, rectificationId: finding.rectification?.id,
            version: finding.version, closedAt: finding.status == "closed" ? finding.updatedAt : nil,
            updatedAt: finding.updatedAt, on: connection)
    }

    /// `Tasks.create` for another service's draft: its due date stands even
    /// if past; a field it refuses is named as the event's field.
    private static func create(
        _ draft: TaskDraft, field: String, deadlines: TaskDeadlines, at now: Date, on connection: PostgresConnection
    ) async throws {
        do {
            _ = try await Tasks.create(draft, by: actor, at: now, deadlines: deadlines, on: connection, pastDueAllowed: true)
        } catch let problem as Problem {
            let names = ["leadUnitId": "unitId", "dueDate": "dueDate", "title": "title", "assistingUnitIds": "assistingUnitIds"]
            let errors = problem.errors ?? [Problem.FieldError(field: problem.field ?? "", detail: problem.detail ?? problem.title)]
            let text = errors.map { "\(field).\(names[$0.field] ?? $0.field): \($0.detail)" }.joined(separator: "; ")
            throw EventRejected(text)
        }
    }
}
