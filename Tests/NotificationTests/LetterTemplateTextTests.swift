import Domain
import EventFlow
import Foundation
import Testing

@testable import Notification

/// The texts of the scheduling service's letter events besides `letter.issued`
/// (Rules/routing.json), rendered for a realistic letter and compared whole,
/// with who receives them. The county is `TemplateTextTests.County`.
@Suite(.enabled(if: NotificationDatabase.isConfigured, "needs SJ_TEST_DATABASE_URL (scripts/test.sh)"))
struct LetterTemplateTextTests {
    let now = Fixture.china("2026-12-01 10:00")
    typealias Text = TemplateTextTests.Text

    /// A letter as the scheduling service publishes it about one unit (docs/asyncapi.yaml, `LetterEvent`).
    static var letter: [String: Any] { [
        "id": "5B0C1C9E-3A0F-4C55-9A51-6F0F7B1F1A01", "kind": "supervision", "number": "房双减督〔2026〕3号",
        "unitId": "market-regulation-bureau", "subject": "校外培训机构预收费专项检查进度滞后", "replyDue": "2026-12-08",
        "status": "issued",
    ] }

    func texts(_ type: String, _ data: [String: Any]) async throws -> (TemplateTextTests.County, [UUID: Text]) {
        try await TemplateTextTests().texts { _ in Fixture.event(type, data, time: now) }
    }

    func text(_ found: [UUID: Text]) throws -> Text { try TemplateTextTests().text(found) }

    @Test func aReplyDueSoon() async throws {
        let (county, found) = try await texts(EventType.letterReplyDueSoon, ["letter": Self.letter])
        #expect(Set(found.keys) == [county.marketLiaison])
        #expect(try text(found) == Text(
            title: "督办函（房双减督〔2026〕3号）办理情况即将到期",
            body: "协调机制办公室发出的督办函（房双减督〔2026〕3号），事项：校外培训机构预收费专项检查进度滞后。请县市场监管局于2026年12月8日前将相关办理情况报协调机制办公室。"))
    }

    @Test func aReportReturned() async throws {
        var letter = Self.letter
        letter["replyDue"] = "2026-12-15"
        let (county, found) = try await texts(EventType.letterReturned, ["letter": letter])
        #expect(Set(found.keys) == [county.marketLiaison])
        #expect(try text(found) == Text(
            title: "督办函（房双减督〔2026〕3号）办理情况退回",
            body: "县市场监管局报送的督办函（房双减督〔2026〕3号）办理情况已被协调机制办公室退回，事项：校外培训机构预收费专项检查进度滞后。请补充完善后于2026年12月15日前重新报协调机制办公室。"))
    }

    @Test func anOverdueReplyEscalatedToTheMemberAndTheConveners() async throws {
        let (county, found) = try await texts(
            EventType.letterEscalated, ["letter": Self.letter, "escalationLetterId": "6C0C1C9E-3A0F-4C55-9A51-6F0F7B1F1A02"])
        #expect(Set(found.keys) == [county.marketMember, county.convener, county.office])
        #expect(try text(found) == Text(
            title: "再次督办：县市场监管局逾期未报送办理情况",
            body: "协调机制办公室发出的督办函（房双减督〔2026〕3号），事项：校外培训机构预收费专项检查进度滞后，要求县市场监管局于2026年12月8日前将相关办理情况报协调机制办公室，截至目前仍未报送，现已再次督办。"))
    }
}
