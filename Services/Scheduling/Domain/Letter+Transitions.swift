import Domain
import Foundation

/// A letter's life (issue 11, 督办协调制度):
///
///     draft ──issue──▶ issued ──(every unit accepted)──▶ closed
///       └──cancel──▶ cancelled
///
/// and each addressed unit's track once issued:
///
///     issued ──签收──▶ received ──report──▶ reported ──accept──▶ accepted
///        └──────────report─────────▲          └──return(reason, new due)──▶ returned ──report──┘
///
/// Pure: each step changes the value or throws and leaves it as it was;
/// numbering and the reply date's calendar are given by the caller.
extension Letter {
    /// Numbers and sends a draft: each unit's reply is due `replyWorkingDays`
    /// working days after the day of issue (China time), and gets the id of
    /// the `letter.issued` event that tells it.
    mutating func issue(
        by actor: String, at time: Date, number: LetterNumber, calendar: WorkingDayCalendar,
        newEventId: () -> UUID = UUID.init
    ) throws(LetterTransitionError) {
        try require(.issue, status == .draft)
        let due: CalendarAnswer<LocalDate>
        do {
            due = try calendar.addingWorkingDays(replyWorkingDays, to: LocalDate(time))
        } catch {
            throw .calendar("\(error)")
        }
        var next = self
        next.number = number.text
        next.numberYear = number.year
        next.numberSequence = number.sequence
        next.status = .issued
        next.issued = LetterStep(by: actor, at: time)
        for index in next.addressees.indices {
            next.addressees[index].status = .issued
            next.addressees[index].replyDue = due.value
            next.addressees[index].replyDueProvisional = due.isProvisional
            next.addressees[index].issuedEventId = newEventId()
        }
        self = next
    }

    /// A draft the office will not send.
    mutating func cancel(by actor: String, at time: Date, reason: String) throws(LetterTransitionError) {
        try require(.cancel, status == .draft)
        status = .cancelled
        cancelled = LetterCancellation(by: actor, at: time, reason: reason)
    }

    /// 签收 by `unitId`. Returns false (and changes nothing) when the unit
    /// had already signed for it or reported: an acknowledgement that comes
    /// again, or after the report, is no news.
    @discardableResult
    mutating func receive(
        _ unitId: String, by actor: String, at time: Date, via source: ReceiptSource
    ) throws(LetterTransitionError) -> Bool {
        let index = try track(unitId, for: .receive)
        guard addressees[index].received == nil else { return false }
        guard addressees[index].status == .issued else {
            throw .notAllowed(action: .receive, unitId: unitId, status: addressees[index].status)
        }
        addressees[index].received = LetterReceipt(at: time, by: actor, via: source)
        addressees[index].status = .received
        return true
    }

    /// 办理情况 from `unitId`; a report before 签收 implies it. On time when
    /// it comes by the end of the due date in force.
    mutating func report(_ unitId: String, _ report: LetterReport) throws(LetterTransitionError) {
        let index = try track(unitId, for: .report)
        guard addressees[index].status.awaitsReport else {
            throw .notAllowed(action: .report, unitId: unitId, status: addressees[index].status)
        }
        var filed = report
        filed.onTime = addressees[index].replyDue.map { report.at < Self.endOf($0) } ?? true
        if addressees[index].received == nil {
            addressees[index].received = LetterReceipt(at: report.at, by: report.by, via: .report)
        }
        addressees[index].reports.append(filed)
        addressees[index].status = .reported
    }

    /// The office accepts `unitId`'s report; the letter closes when every unit's is.
    mutating func accept(_ unitId: String, by actor: String, at time: Date) throws(LetterTransitionError) {
        let index = try track(unitId, for: .accept)
        guard addressees[index].status == .reported else {
            throw .notAllowed(action: .accept, unitId: unitId, status: addressees[index].status)
        }
        addressees[index].status = .accepted
        addressees[index].accepted = LetterStep(by: actor, at: time)
        if addressees.allSatisfy({ $0.status == .accepted }) {
            status = .closed
            closedAt = time
        }
    }

    /// The office returns `unitId`'s report with a reason; a new one is due
    /// by `newDue`, which must not be before the day of return.
    mutating func returnReport(
        _ unitId: String, by actor: String, at time: Date, reason: String, newDue: LocalDate
    ) throws(LetterTransitionError) {
        let index = try track(unitId, for: .return)
        guard addressees[index].status == .reported else {
            throw .notAllowed(action: .return, unitId: unitId, status: addressees[index].status)
        }
        if newDue < LocalDate(time) { throw .newDueInThePast(newDue) }
        addressees[index].returns.append(
            LetterReturn(by: actor, at: time, reason: reason, previousDue: addressees[index].replyDue, newDue: newDue))
        addressees[index].status = .returned
        addressees[index].replyDue = newDue
        addressees[index].replyDueProvisional = false
        // The new date gets its own reminder and its own escalation.
        addressees[index].remindedAt = nil
        addressees[index].escalation = nil
    }

    /// Records that the reply-due-soon reminder went to `unitId`.
    mutating func markReminded(_ unitId: String, at time: Date) throws(LetterTransitionError) {
        let index = try track(unitId, for: .remind)
        addressees[index].remindedAt = time
    }

    /// Records the 再次督办 letter sent because `unitId`'s reply was overdue.
    mutating func markEscalated(_ unitId: String, at time: Date, by letterId: UUID) throws(LetterTransitionError) {
        let index = try track(unitId, for: .escalate)
        guard addressees[index].status.awaitsReport, addressees[index].escalation == nil else {
            throw .notAllowed(action: .escalate, unitId: unitId, status: addressees[index].status)
        }
        addressees[index].escalation = LetterEscalation(at: time, letterId: letterId)
    }

    /// The instant a due date ends: the office's close that day (DueDay), as for tasks.
    static func endOf(_ due: LocalDate) -> Date {
        DueDay.end(due)
    }

    /// Whether `unitId`'s reply is overdue at `time`.
    func isOverdue(_ unitId: String, at time: Date) -> Bool {
        guard status == .issued, let track = addressee(unitId), track.status.awaitsReport, let due = track.replyDue
        else { return false }
        return time >= Self.endOf(due)
    }

    private func require(_ action: LetterAction, _ allowed: Bool) throws(LetterTransitionError) {
        if !allowed { throw .letterNotAllowed(action: action, status: status) }
    }

    private func track(_ unitId: String, for action: LetterAction) throws(LetterTransitionError) -> Int {
        guard status == .issued || (status == .closed && action == .receive) else {
            throw .letterNotAllowed(action: action, status: status)
        }
        guard let index = addressees.firstIndex(where: { $0.unitId == unitId }) else {
            throw .notAddressed(unitId)
        }
        return index
    }
}

enum LetterAction: String, Codable, Sendable, Equatable {
    case issue, cancel, receive, report, accept, `return`, remind, escalate
}

enum LetterTransitionError: Error, Equatable, Sendable, CustomStringConvertible {
    case letterNotAllowed(action: LetterAction, status: LetterStatus)
    case notAllowed(action: LetterAction, unitId: String, status: AddresseeStatus)
    case notAddressed(String)
    case newDueInThePast(LocalDate)
    case calendar(String)

    var description: String {
        switch self {
        case .letterNotAllowed(let action, let status):
            "cannot \(action.rawValue) a letter that is \(status.rawValue)"
        case .notAllowed(let action, let unitId, let status):
            "cannot \(action.rawValue) for \(unitId): its track is \(status.rawValue)"
        case .notAddressed(let unitId):
            "the letter is not addressed to \(unitId)"
        case .newDueInThePast(let date):
            "the new due date \(date) is in the past"
        case .calendar(let reason):
            "the reply date cannot be computed: \(reason)"
        }
    }
}
