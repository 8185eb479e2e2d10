import Audit
import Domain
import EventFlow
import Foundation
import Postgres

/// When a task becomes overdue, a 督办函 to its lead unit is prepared for the
/// office (issue 11), once per task: the office issues it with one call
/// (`POST /v1/letters/{id}/issue`), or, with `SJ_LETTER_AUTO_ISSUE_OVERDUE`,
/// it is issued at once. Called in the transaction that marks the task
/// overdue, so the mark and the draft commit together.
enum OverdueTaskLetters {
    /// What the letter needs to know of the task.
    struct OverdueTask: Sendable, Equatable {
        var id: String
        var title: String
        var leadUnitId: String
        var due: LocalDate
    }

    /// The draft (or, by policy, the issued letter) and its events; nil when
    /// the task already has one.
    static func prepare(
        for task: OverdueTask, by actor: String, at time: Date, settings: LetterSettings, on connection: PostgresConnection
    ) async throws -> (letter: Letter, events: [OutboxEvent])? {
        try await prepare(for: [task], by: actor, at: time, settings: settings, on: connection).first
    }

    /// The drafts for a batch of tasks just marked overdue (the timer
    /// worker's), written in two statements whatever the batch's size: a
    /// task that has its draft already (`origin_task_id` is unique) keeps it
    /// and gets none. By policy each new draft is then issued (its number
    /// taken one by one, gaplessly).
    static func prepare(
        for tasks: [OverdueTask], by actor: String, at time: Date, settings: LetterSettings, on connection: PostgresConnection
    ) async throws -> [(letter: Letter, events: [OutboxEvent])] {
        let drafts = tasks.map { draft(for: $0, by: actor, at: time, settings: settings) }
        let inserted = try await LetterStore.insertOverdueDrafts(drafts, on: connection)
        var prepared: [(letter: Letter, events: [OutboxEvent])] = []
        for var letter in drafts where inserted.contains(letter.id) {
            var events = [try LetterEvent.letter(EventType.letterDrafted, letter, at: time)]
            if settings.autoIssueOverdueTaskLetters {
                events += try await LetterIssuing.issue(&letter, by: actor, at: time, settings: settings, on: connection)
                letter.version += 1
                try await LetterStore.update(letter, on: connection)
            }
            prepared.append((letter, events))
        }
        return prepared
    }

    /// The 督办函's words: the task, its deadline, and the notice's phrase for the reply.
    static func draft(for task: OverdueTask, by actor: String, at time: Date, settings: LetterSettings) -> Letter {
        Letter(
            id: UUID(), kind: .supervision, status: .draft, number: nil, numberYear: nil, numberSequence: nil,
            subject: "“\(task.title)”逾期未完成",
            body: "协调机制交办你单位牵头落实的“\(task.title)”，完成时限为\(ChineseDate.text(task.due))，截至目前尚未完成。"
                + "请你单位高度重视，抓紧推进落实，并按规定期限将相关办理情况报协调机制办公室。",
            cause: LetterCause(kind: .task, reference: task.id, text: "“\(task.title)”逾期未完成"),
            replyWorkingDays: settings.replyWorkingDays, addressees: [LetterAddressee.pending(task.leadUnitId)],
            origin: .taskOverdue, drafted: LetterStep(by: actor, at: time), issued: nil, cancelled: nil, closedAt: nil,
            version: 1, updatedAt: time)
    }
}
