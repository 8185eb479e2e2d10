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
    /// Of those, completed (accepted by the office) by the end of their due
    /// working day — the office's close, 17:30 (DueDay), as the overdue mark.
    var doneOnTime: Int
    /// Of those, past the end of their due working day without completion, or completed after it.
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
    /// Working hours of the office calendar (08:30–12:00, 14:30–17:30 on
    /// working days) from issue to 签收, averaged over the signed-for ones.
    var averageWorkingHoursToReceipt: Double?
    /// Reports (办理情况) whose due date fell in the period or that came in it.
    var reportsDue: Int
    var reportsOnTime: Int
    var reportsLate: Int
    /// Letters whose reply is overdue and still owed at the time of asking.
    var repliesOverdue: Int
    /// 再次督办 letters the unit drew.
    var escalated: Int
}

/// Meeting attendance: the sittings held in the period (by their start,
/// China time) at which the unit was expected, each counted once under what
/// happened — present in person, present through a named deputy, absent
/// having answered so with a reason, absent without having answered the
/// notice, or absent though it had answered it would come. Sittings not yet
/// held or cancelled are not counted. `expected` is the sum of the others.
struct MeetingFigures: Codable, Sendable, Equatable {
    /// Always true: kept so a reader of the earlier document still finds the figures present.
    var available: Bool
    var expected: Int
    /// Recorded present at the sitting, the unit's own member or liaison.
    var attended: Int
    /// Recorded present, through the deputy the unit named (委托参会).
    var deputised: Int
    /// Not present; the unit had answered it would be absent, with its reason (请假).
    var absentWithReason: Int
    /// Not present, and the unit never answered the notice.
    var noAnswer: Int
    /// Not present, though the unit had answered that it (or a deputy) would attend.
    var absentUnannounced: Int

    static let zero = MeetingFigures(
        available: true, expected: 0, attended: 0, deputised: 0, absentWithReason: 0, noAnswer: 0, absentUnannounced: 0)

    /// Counts one held sitting's line for the unit.
    mutating func count(_ line: UnitAttendance) {
        expected += 1
        if line.recorded?.present == true {
            if line.answer?.kind == .deputy { deputised += 1 } else { attended += 1 }
            return
        }
        switch line.answer?.kind {
        case .absent: absentWithReason += 1
        case nil: noAnswer += 1
        case .attends, .deputy: absentUnannounced += 1
        }
    }
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
        unitId: String, from: LocalDate, to: LocalDate, letters: [Letter], tasks: [TaskFact], meetings: [Meeting] = [],
        calendar: WorkingDayCalendar = .china, officeHours: OfficeHours = .county, at now: Date
    ) -> UnitStatistics {
        let start = from.startOfDay()
        let end = to.adding(days: 1).startOfDay()
        func inPeriod(_ date: Date) -> Bool { date >= start && date < end }

        var figures = LetterFigures(
            received: 0, supervision: 0, coordination: 0, signedFor: 0, averageWorkingHoursToReceipt: nil, reportsDue: 0,
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
                    // Beyond the calendar's years the interval cannot be counted; it is left out of the average.
                    if let hours = try? calendar.workingHours(from: issued.at, to: received.at, officeHours: officeHours) {
                        receiptHours.append(hours.value)
                    }
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
        figures.averageWorkingHoursToReceipt = average(receiptHours)

        var taskFigures = TaskFigures(assigned: 0, doneOnTime: 0, overdue: 0, averageDaysToComplete: nil)
        var completionDays: [Double] = []
        for task in tasks where task.leadUnitId == unitId && inPeriod(task.assignedAt) {
            taskFigures.assigned += 1
            let deadline = DueDay.end(task.due, officeHours: officeHours)
            if let completed = task.completedAt {
                completionDays.append(completed.timeIntervalSince(task.assignedAt) / 86_400)
                if completed < deadline { taskFigures.doneOnTime += 1 } else { taskFigures.overdue += 1 }
            } else if now >= deadline {
                taskFigures.overdue += 1
            }
        }
        taskFigures.averageDaysToComplete = average(completionDays)

        var meetingFigures = MeetingFigures.zero
        for meeting in meetings where meeting.status == .held && inPeriod(meeting.startsAt) {
            if let line = meeting.attendance.first(where: { $0.unitId == unitId }) { meetingFigures.count(line) }
        }

        return UnitStatistics(
            unitId: unitId, from: from, to: to, tasks: taskFigures, letters: figures, meetings: meetingFigures)
    }

    private static func average(_ values: [Double]) -> Double? {
        guard !values.isEmpty else { return nil }
        return (values.reduce(0, +) / Double(values.count) * 10).rounded() / 10
    }
}
