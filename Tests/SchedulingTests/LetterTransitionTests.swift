import Domain
import Foundation
import Testing

@testable import Scheduling

/// The letter's life as pure rules: numbering, the reply date from the
/// working-day calendar, each unit's track, and what is refused.
struct LetterTransitionTests {
    static func china(_ text: String) -> Date {
        ISO8601DateFormatter().date(from: text)!
    }

    static func draft(_ kind: LetterKind = .coordination, units: [String] = ["education-bureau", "market-regulation-bureau"]) -> Letter {
        Letter(
            id: UUID(), kind: kind, status: .draft, number: nil, numberYear: nil, numberSequence: nil,
            subject: "校外培训机构预收费监管", body: "请按照职责分工做好相关工作。",
            cause: LetterCause(kind: .duty, reference: "market-regulation-bureau/2", text: "预收费监管职责"),
            replyWorkingDays: 5, addressees: units.map(LetterAddressee.pending), origin: .office,
            drafted: LetterStep(by: "office-1", at: china("2026-09-29T02:00:00Z")), issued: nil, cancelled: nil,
            closedAt: nil, version: 1, updatedAt: china("2026-09-29T02:00:00Z"))
    }

    @Test func numberFormatAndConfigurationProblems() {
        let format = LetterNumberFormat.standard
        #expect(format.number(.supervision, year: 2026, sequence: 3).text == "房双减督〔2026〕3号")
        #expect(format.number(.coordination, year: 2026, sequence: 1).text == "房双减协〔2026〕1号")
        #expect(format.problems().isEmpty)
        let bad = LetterNumberFormat(supervision: "督〔{year}〕号", coordination: "督〔{year}〕号")
        #expect(bad.problems() == [
            "the 督办函 number format 督〔{year}〕号 lacks {n}", "the 协调函 number format 督〔{year}〕号 lacks {n}",
            "督办函 and 协调函 need different number formats",
        ])
    }

    /// Issued on 2026-09-30: 国庆节 (10-01…10-07) is skipped and the make-up
    /// Saturday 10-10 counts, so 5 working days end on 2026-10-13.
    @Test func issueNumbersTheLetterAndDatesTheReplyInWorkingDays() throws {
        var letter = Self.draft()
        let issuedAt = Self.china("2026-09-30T02:00:00Z")
        try letter.issue(
            by: "office-1", at: issuedAt, number: LetterNumberFormat.standard.number(.coordination, year: 2026, sequence: 1),
            calendar: .china)
        #expect(letter.status == .issued)
        #expect(letter.number == "房双减协〔2026〕1号")
        #expect(letter.addressees.map(\.replyDue) == [try LocalDate(parsing: "2026-10-13"), try LocalDate(parsing: "2026-10-13")])
        #expect(letter.addressees.allSatisfy { $0.status == .issued && $0.issuedEventId != nil })
        #expect(Set(letter.addressees.compactMap(\.issuedEventId)).count == 2)
        // The end of the due date is the office's close, 17:30 in Beijing: 09:30 UTC (as a task's overdue mark).
        #expect(Letter.endOf(try LocalDate(parsing: "2026-10-13")) == Self.china("2026-10-13T09:30:00Z"))
        #expect(throws: LetterTransitionError.letterNotAllowed(action: .issue, status: .issued)) {
            try letter.issue(by: "office-1", at: issuedAt, number: .init(year: 2026, sequence: 2, text: "x"), calendar: .china)
        }
    }

    @Test func eachUnitSignsReportsAndIsAcceptedOrReturned() throws {
        var letter = Self.draft()
        try letter.issue(
            by: "office-1", at: Self.china("2026-09-30T02:00:00Z"),
            number: LetterNumberFormat.standard.number(.coordination, year: 2026, sequence: 1), calendar: .china)
        let first = try letter.receive("education-bureau", by: "liaison-1", at: Self.china("2026-09-30T03:00:00Z"), via: .notification)
        // Acknowledged again: no news.
        let again = try letter.receive("education-bureau", by: "liaison-1", at: Self.china("2026-09-30T04:00:00Z"), via: .unit)
        #expect(first && !again)
        #expect(letter.addressee("education-bureau")?.received?.via == .notification)
        #expect(throws: LetterTransitionError.notAddressed("finance-bureau")) {
            try letter.receive("finance-bureau", by: "x", at: Self.china("2026-09-30T04:00:00Z"), via: .unit)
        }
        #expect(throws: LetterTransitionError.notAllowed(action: .accept, unitId: "education-bureau", status: .received)) {
            try letter.accept("education-bureau", by: "office-1", at: Self.china("2026-10-08T02:00:00Z"))
        }
        try letter.report("education-bureau", report(at: "2026-10-13T09:29:00Z"))
        #expect(letter.addressee("education-bureau")?.reports.last?.onTime == true)
        // A report before 签收 implies it; after the due day's close (17:30) it is late.
        try letter.report("market-regulation-bureau", report(at: "2026-10-13T09:30:00Z"))
        let market = try #require(letter.addressee("market-regulation-bureau"))
        #expect(market.received?.via == .report)
        #expect(market.reports.last?.onTime == false)

        try letter.accept("education-bureau", by: "office-1", at: Self.china("2026-10-14T02:00:00Z"))
        #expect(letter.status == .issued)
        let newDue = try LocalDate(parsing: "2026-10-20")
        #expect(throws: LetterTransitionError.newDueInThePast(try LocalDate(parsing: "2026-10-01"))) {
            try letter.returnReport(
                "market-regulation-bureau", by: "office-1", at: Self.china("2026-10-14T02:00:00Z"), reason: "数据不全",
                newDue: try LocalDate(parsing: "2026-10-01"))
        }
        try letter.returnReport(
            "market-regulation-bureau", by: "office-1", at: Self.china("2026-10-14T02:00:00Z"), reason: "请补充预收费资金监管账户开设情况",
            newDue: newDue)
        let returned = try #require(letter.addressee("market-regulation-bureau"))
        #expect(returned.status == .returned && returned.replyDue == newDue)
        #expect(returned.returns.first?.previousDue == (try LocalDate(parsing: "2026-10-13")))
        #expect(letter.isOverdue("market-regulation-bureau", at: Self.china("2026-10-20T09:30:00Z")))
        #expect(!letter.isOverdue("market-regulation-bureau", at: Self.china("2026-10-20T09:29:59Z")))
        try letter.report("market-regulation-bureau", report(at: "2026-10-19T02:00:00Z"))
        try letter.accept("market-regulation-bureau", by: "office-1", at: Self.china("2026-10-19T03:00:00Z"))
        #expect(letter.status == .closed && letter.closedAt == Self.china("2026-10-19T03:00:00Z"))
    }

    @Test func onlyADraftIsCancelledOrIssued() throws {
        var letter = Self.draft(.supervision, units: ["education-bureau"])
        #expect(throws: LetterTransitionError.letterNotAllowed(action: .receive, status: .draft)) {
            try letter.receive("education-bureau", by: "x", at: Date(), via: .unit)
        }
        try letter.cancel(by: "office-1", at: Self.china("2026-09-30T02:00:00Z"), reason: "已当面督促")
        #expect(letter.status == .cancelled)
        #expect(throws: LetterTransitionError.letterNotAllowed(action: .cancel, status: .cancelled)) {
            try letter.cancel(by: "office-1", at: Date(), reason: "again")
        }
    }

    @Test func secondLetterCitesTheFirstInOfficialWords() throws {
        var first = Self.draft(.supervision, units: ["education-bureau"])
        try first.issue(
            by: "office-1", at: Self.china("2026-09-30T02:00:00Z"),
            number: LetterNumberFormat.standard.number(.supervision, year: 2026, sequence: 3), calendar: .china)
        var second = LetterDeadlineWorker.secondLetter(
            after: first, to: "education-bureau", at: Self.china("2026-10-13T16:00:00Z"), settings: .standard)
        try second.issue(
            by: "system", at: Self.china("2026-10-14T01:00:00Z"),
            number: LetterNumberFormat.standard.number(.supervision, year: 2026, sequence: 4), calendar: .china)
        #expect(second.subject == "再次督办：校外培训机构预收费监管")
        #expect(second.cause == LetterCause(kind: .letter, reference: first.id.uuidString.lowercased(), text: "督办函（房双减督〔2026〕3号）逾期未报送办理情况"))
        #expect(LetterDeadlineWorker.secondLetterBody(first: first, second: second, unitId: "education-bureau") ==
            "协调机制办公室于2026年9月30日发出督办函（房双减督〔2026〕3号），要求你单位于2026年10月13日前将“校外培训机构预收费监管”相关办理情况报协调机制办公室，截至目前仍未报送。现予再次督办，请你单位高度重视，于2026年10月21日前将相关办理情况报协调机制办公室。")
    }

    private func report(at time: String) -> LetterReport {
        LetterReport(id: UUID(), text: "已完成专项检查。", attachments: [], by: "liaison-1", at: Self.china(time), onTime: true)
    }
}
