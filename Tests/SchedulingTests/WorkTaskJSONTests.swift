import Domain
import EventFlow
import Foundation
import Testing

@testable import Scheduling

/// The hand-written task state is byte for byte what `EventJSON.encoder`
/// writes of `WorkTask`, over tasks with every optional present or absent,
/// returns, reminders and text that needs escaping.
struct WorkTaskJSONTests {
    static let awkward = ["", "开展校外培训机构专项排查", "a\"b\\c/d\u{7f}😀", "line\nbreak\ttab\u{01}\u{1f}"]

    static func task(_ n: Int) -> WorkTask {
        var random = SystemRandomNumberGenerator()
        func text() -> String { awkward[Int.random(in: 0..<awkward.count, using: &random)] + "\(n)" }
        func time() -> Date { Date(timeIntervalSince1970: Double.random(in: -2e9...4e9, using: &random)) }
        func maybe<T>(_ value: @autoclosure () -> T) -> T? { Bool.random(using: &random) ? value() : nil }
        func day() -> LocalDate { LocalDate("2026-12-04")!.adding(days: Int.random(in: -4000...4000, using: &random)) }
        let returns = (0..<Int.random(in: 0...2, using: &random)).map { _ in
            TaskReturn(reason: text(), previousDueDate: day(), dueDate: day(), returnedBy: text(), returnedAt: time())
        }
        return WorkTask(
            id: UUID(), title: text(), detail: maybe(text()),
            origin: TaskOrigin(kind: TaskOriginKind.allCases.randomElement(using: &random)!, reference: maybe(text())),
            leadUnitId: text(), assistingUnitIds: (0..<Int.random(in: 0...3, using: &random)).map { _ in text() }, dueDate: day(),
            status: TaskStatus.allCases.randomElement(using: &random)!, overdueAt: maybe(time()),
            remindersSent: Array([3, 1, 5].prefix(Int.random(in: 0...3, using: &random))), acceptedAt: maybe(time()),
            submittedAt: maybe(time()), completedAt: maybe(time()), returns: returns, createdBy: text(), createdAt: time(),
            version: Int.random(in: 1...1_000_000, using: &random), updatedAt: time())
    }

    @Test func theSameBytesAsTheEventEncoder() throws {
        for n in 0..<2_000 {
            let task = Self.task(n)
            let expected = try EventJSON.encoder.encode(task)
            #expect(TaskEvent.encode(task) == Array(expected), "\(String(decoding: expected, as: UTF8.self))")
        }
    }
}
