import Domain
import Foundation

/// What the statistics need of one warning to place it in a period: when it
/// was raised and closed, its levels over time, and the units that answer
/// for it (docs/statistics.md, "Warnings in a period").
struct WarningTimeline: Codable, Sendable, Equatable {
    var responsibleUnitIds: [String]
    /// Oldest first; the first entry is the level it was raised at.
    var levelHistory: [Warning.LevelChange]
    /// Its level now (the last of `levelHistory`).
    var level: WarningLevel
    var raisedAt: Date
    var closedAt: Date?

    /// Open at `end` (nil: now): raised before it and not closed before it.
    func isOpen(at end: Date?) -> Bool {
        guard let end else { return closedAt == nil }
        return raisedAt < end && (closedAt.map { $0 >= end } ?? true)
    }

    /// Its level just before `end` (nil: now): the last change before then.
    func level(before end: Date?) -> WarningLevel {
        guard let end else { return level }
        return levelHistory.last { $0.at < end }?.to ?? levelHistory.first?.to ?? level
    }

    /// The highest level it reached before `end` (nil: now).
    func highestLevel(before end: Date?) -> WarningLevel {
        let reached = levelHistory.filter { end == nil || $0.at < end! }.map(\.to)
        return reached.max() ?? level(before: end)
    }
}

/// The warnings of a period per unit and level, each unit answering for a
/// warning counted once (every unit of `responsibleUnitIds`).
enum WarningPeriodCounts {
    /// Unit id → level → count.
    typealias Counts = [String: [String: Int]]

    /// Raised in [`from`, `before`), by the highest level each reached before `before`.
    static func raised(_ warnings: [WarningTimeline], from: Date?, before: Date?) -> Counts {
        count(warnings.filter { warning in
            (from.map { warning.raisedAt >= $0 } ?? true) && (before.map { warning.raisedAt < $0 } ?? true)
        }) { $0.highestLevel(before: before) }
    }

    /// Open at the period's end (`before`; nil: now), by the level each had then.
    static func open(_ warnings: [WarningTimeline], at end: Date?) -> Counts {
        count(warnings.filter { $0.isOpen(at: end) }) { $0.level(before: end) }
    }

    private static func count(_ warnings: [WarningTimeline], by level: (WarningTimeline) -> WarningLevel) -> Counts {
        var counts: Counts = [:]
        for warning in warnings {
            let level = level(warning).rawValue
            for unitId in Set(warning.responsibleUnitIds) { counts[unitId, default: [:]][level, default: 0] += 1 }
        }
        return counts
    }
}
