import Domain
import Foundation

/// When a due working day ends, for every deadline of the service — a task's
/// overdue mark, a letter's reply, and "on time" in the statistics: the close
/// of the office's last period that day (17:30 China time), not midnight; a
/// report that comes in the evening of its due day reaches the office the
/// next working day, late.
enum DueDay {
    static func end(_ due: LocalDate, officeHours: OfficeHours = .county) -> Date {
        due.startOfDay(in: officeHours.timeZone).addingTimeInterval(Double(officeHours.periods.last!.end))
    }
}
