import Audit
import Domain
import EventFlow
import Foundation
import Logging
import Postgres
import ServiceKit
import ServiceLifecycle

/// Fires the letters' timers (issue 11): "reply due soon" to a unit whose
/// report is due within the configured working days, and, when a unit's
/// reply is overdue, 再次督办 — a second 督办函, issued at once and citing the
/// first — with `letter.escalated` on the first so the unit's member and the
/// conveners are alerted. Timers are claimed `FOR UPDATE SKIP LOCKED`, so
/// with two scheduling processes each fires once; the clock is injected.
final class LetterDeadlineWorker: Service, Sendable {
    static let actor = AuditActor.system("scheduling.letter-deadlines")

    private let pool: PostgresPool
    private let settings: LetterSettings
    private let batchSize: Int
    private let now: @Sendable () -> Date
    private let logger: Logger

    init(pool: PostgresPool, settings: LetterSettings, batchSize: Int = 100, now: @escaping @Sendable () -> Date, logger: Logger) {
        precondition(batchSize > 0, "batchSize must be positive")
        self.pool = pool
        self.settings = settings
        self.batchSize = batchSize
        self.now = now
        var logger = logger
        logger[metadataKey: "component"] = "letter-deadlines"
        self.logger = logger
    }

    func run() async throws {
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            do {
                while try await fireOnce() == batchSize && !Task.isShuttingDownGracefully {}
            } catch {
                logger.error("letter timers failed", metadata: ["error": "\(error)"])
            }
            let interval = settings.scanInterval
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
        }
    }

    /// Fires what is due now (at most `batchSize` timers) in one transaction;
    /// returns how many were claimed.
    @discardableResult
    func fireOnce() async throws -> Int {
        let time = now()
        return try await pool.transaction { connection in
            let due = try await LetterTimerStore.claimDue(at: time, limit: self.batchSize, on: connection)
            var events: [OutboxEvent] = []
            for timer in due {
                events += try await self.fire(timer, at: time, on: connection)
                try await LetterTimerStore.markFired(timer, at: time, on: connection)
            }
            try await Journal.record(events, by: Self.actor, at: time, on: connection)
            return due.count
        }
    }

    private func fire(_ timer: LetterTimerStore.Due, at time: Date, on connection: PostgresConnection) async throws -> [OutboxEvent] {
        // The report may have come meanwhile; then the timer has nothing to say.
        guard var letter = try await LetterStore.lock(timer.letterId, on: connection),
            let track = letter.addressee(timer.unitId), letter.status == .issued, track.status.awaitsReport
        else { return [] }
        letter.version += 1
        letter.updatedAt = time
        switch timer.kind {
        case .reminder:
            try letter.markReminded(timer.unitId, at: time)
            try await LetterStore.update(letter, on: connection)
            return [try LetterEvent.unit(EventType.letterReplyDueSoon, letter, timer.unitId, at: time)]
        case .overdue:
            guard letter.isOverdue(timer.unitId, at: time), track.escalation == nil else { return [] }
            var second = Self.secondLetter(after: letter, to: timer.unitId, at: time, settings: settings)
            // Inserted as a draft first: its timers refer to its row.
            try await LetterStore.insert(second, on: connection)
            let drafted = try LetterEvent.letter(EventType.letterDrafted, second, at: time)
            _ = try await LetterIssuing.issue(&second, by: Self.actor.subject, at: time, settings: settings, on: connection)
            second.body = Self.secondLetterBody(first: letter, second: second, unitId: timer.unitId)
            second.version += 1
            try await LetterStore.update(second, on: connection)
            try letter.markEscalated(timer.unitId, at: time, by: second.id)
            try await LetterStore.update(letter, on: connection)
            logger.info("reply overdue: 再次督办 issued",
                        metadata: ["letter": "\(letter.id)", "unit": "\(timer.unitId)", "second": "\(second.id)"])
            return [drafted] + (try LetterEvent.issued(second, at: time))
                + [try LetterEvent.unit(EventType.letterEscalated, letter, timer.unitId, at: time, escalationLetterId: second.id)]
        }
    }

    /// 再次督办: a 督办函 to the one unit, citing the first letter.
    static func secondLetter(after first: Letter, to unitId: String, at time: Date, settings: LetterSettings) -> Letter {
        let reference = first.number ?? first.id.uuidString.lowercased()
        return Letter(
            id: UUID(), kind: .supervision, status: .draft, number: nil, numberYear: nil, numberSequence: nil,
            subject: "再次督办：\(first.subject)", body: "",
            cause: LetterCause(kind: .letter, reference: first.id.uuidString.lowercased(),
                               text: "\(first.kind.chineseName)（\(reference)）逾期未报送办理情况"),
            replyWorkingDays: settings.replyWorkingDays,
            addressees: [.pending(unitId)],
            origin: .escalation, drafted: LetterStep(by: actor.subject, at: time), issued: nil, cancelled: nil,
            closedAt: nil, version: 1, updatedAt: time)
    }

    /// The second letter's text, once its number and due date are known.
    static func secondLetterBody(first: Letter, second: Letter, unitId: String) -> String {
        let firstDue = first.addressee(unitId)?.replyDue.map(ChineseDate.text) ?? ""
        let issuedOn = first.issued.map { ChineseDate.text(LocalDate($0.at)) } ?? ""
        let newDue = second.addressee(unitId)?.replyDue.map(ChineseDate.text) ?? ""
        return "协调机制办公室于\(issuedOn)发出\(first.kind.chineseName)（\(first.number ?? "")），"
            + "要求你单位于\(firstDue)前将“\(first.subject)”相关办理情况报协调机制办公室，截至目前仍未报送。"
            + "现予再次督办，请你单位高度重视，于\(newDue)前将相关办理情况报协调机制办公室。"
    }
}
