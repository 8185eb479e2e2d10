import Domain
import Foundation

/// One unit's figures for a period (issue 11, "Statistics per unit and
/// period"): what it was asked and how it answered. Pure: the store gives
/// the facts, this counts them.
struct UnitStatistics: Codable, Sendable, Equatable {
    var unitId: String
    var from: LocalDate
    /// Inclusive.
    var to: LocalDate
    var tasks: TaskFigures
    var letters: LetterFigures
    var meetings: MeetingFigures
}

struct TaskFigures: Codable, Sendable, Equatable {
    /// Tasks the unit leads that were assigned in the period.
    var assigned: Int
    /// Of those, completed (accepted by the office) by their due date.
    var doneOnTime: Int
    /// Of those, past their due date without completion, or completed late.
    var overdue: Int
    /// Calendar days from assignment to completion, over the completed ones.
    var averageDaysToComplete: Double?
}

struct LetterFigures: Codable, Sendable, Equatable {
    /// Letters issued to the unit in the period.
    var received: Int
    var supervision: Int
    var coordination: Int
    /// Of those, signed for (签收).
    var signedFor: Int
    /// Hours from issue to 签收, averaged over the signed-for ones.
    var averageHoursToReceipt: Double?
    /// Reports (办理情况) whose due date fell in the period or that came in it.
    var reportsDue: Int
    var reportsOnTime: Int
    var reportsLate: Int
    /// Letters whose reply is overdue and still owed at the time of asking.
    var repliesOverdue: Int
    /// 再次督办 letters the unit drew.
    var escalated: Int
}

/// Meeting attendance: the meetings part is not built yet, so there is
/// nothing to count; `available` says so rather than a zero that would read
/// as "never attended".
struct MeetingFigures: Codable, Sendable, Equatable {
    var available: Bool
    var expected: Int?
    var attended: Int?
    var deputised: Int?
    var absent: Int?
}

/// A task as the statistics see it.
struct TaskFact: Sendable, Equatable {
    var leadUnitId: String
    var assignedAt: Date
    var due: LocalDate
    /// When the office accepted its completion report.
    var completedAt: Date?
}

extension UnitStatistics {
    static func compute(
        unitId: String, from: LocalDate, to: LocalDate, letters: [Letter], tasks: [TaskFact], at now: Date
    ) -> UnitStatistics {
        let start = from.startOfDay()
        let end = to.adding(days: 1).startOfDay()
        func inPeriod(_ date: Date) -> Bool { date >= start && date < end }

        var figures = LetterFigures(
            received: 0, supervision: 0, coordination: 0, signedFor: 0, averageHoursToReceipt: nil, reportsDue: 0,
            reportsOnTime: 0, reportsLate: 0, repliesOverdue: 0, escalated: 0)
        var receiptHours: [Double] = []
        for letter in letters {
            guard let track = letter.addressee(unitId), let issued = letter.issued else { continue }
            if inPeriod(issued.at) {
                figures.received += 1
                if letter.kind == .supervision { figures.supervision += 1 } else { figures.coordination += 1 }
                if letter.origin == .escalation { figures.escalated += 1 }
                if let received = track.received {
                    figures.signedFor += 1
                    receiptHours.append(received.at.timeIntervalSince(issued.at) / 3600)
                }
            }
            for report in track.reports where inPeriod(report.at) {
                figures.reportsDue += 1
                if report.onTime { figures.reportsOnTime += 1 } else { figures.reportsLate += 1 }
            }
            if let due = track.replyDue, due >= from, due <= to, track.status.awaitsReport {
                figures.reportsDue += 1
                if letter.isOverdue(unitId, at: now) { figures.repliesOverdue += 1 }
            }
        }
        figures.averageHoursToReceipt = average(receiptHours)

        var taskFigures = TaskFigures(assigned: 0, doneOnTime: 0, overdue: 0, averageDaysToComplete: nil)
        var completionDays: [Double] = []
        for task in tasks where task.leadUnitId == unitId && inPeriod(task.assignedAt) {
            taskFigures.assigned += 1
            let deadline = Letter.endOf(task.due)
            if let completed = task.completedAt {
                completionDays.append(completed.timeIntervalSince(task.assignedAt) / 86_400)
                if completed < deadline { taskFigures.doneOnTime += 1 } else { taskFigures.overdue += 1 }
            } else if now >= deadline {
                taskFigures.overdue += 1
            }
        }
        taskFigures.averageDaysToComplete = average(completionDays)

        return UnitStatistics(
            unitId: unitId, from: from, to: to, tasks: taskFigures, letters: figures,
            meetings: MeetingFigures(available: false))
    }

    private static func average(_ values: [Double]) -> Double? {
        guard !values.isEmpty else { return nil }
        return (values.reduce(0, +) / Double(values.count) * 10).rounded() / 10
    }
}
