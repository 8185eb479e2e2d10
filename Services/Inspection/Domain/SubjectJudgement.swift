import Domain
import Foundation

/// What a run of new signals about one subject does to its warning, exactly
/// as if they were applied one at a time in their order: after each signal
/// the subject is scored, and a warning is raised when there is none and a
/// threshold is reached, or escalated when the score reaches a higher level
/// than the open warning's. Pure: the caller reads the subject's state once
/// for a whole batch and writes what this returns.
///
/// A running sum decides whether a signal can change anything; the full
/// explanation is built only when it can (a hot subject's batch stays linear).
/// The running sum adds the same rounded points `RiskScore.evaluate` adds, so
/// both reach the same level.
struct SubjectJudgement {
    /// The subject as stored before this batch.
    struct Prior: Sendable {
        /// The subject's open warning, if any (locked by the caller).
        var open: Warning?
        /// When the subject's last warning was closed: signals before it were handled.
        var lastClosed: Date?
        /// The subject's stored signals that occurred within the window, any order.
        var signals: [ScoredSignal]
    }

    /// A new signal and the units that answer for it (lead first).
    struct Fresh: Sendable {
        var signal: ScoredSignal
        var units: [ResponsibleUnit]
    }

    /// One change to the warning, in order; each carries the warning as it was then.
    enum Change: Sendable, Equatable {
        case raised(Warning)
        case escalated(Warning, previous: WarningLevel)
        /// The warning reached the special-study level: ask the conveners, once.
        case specialStudyRequested(Warning)
    }

    struct Outcome: Sendable {
        /// The warning as it is to be stored (nil: none, or unchanged).
        var warning: Warning?
        /// Whether `warning` is new (an insert) rather than the open one changed.
        var isNew: Bool
        var changes: [Change]
        /// For each fresh signal that raised or escalated the warning: the warning as it left it.
        var movedBy: [UUID: Warning]
    }

    let subject: Subject
    let rules: RiskRules
    let calendar: WorkingDayCalendar

    func judge(_ prior: Prior, fresh: [Fresh], at now: Date, newWarningId: () -> UUID) -> Outcome {
        var warning = prior.open
        var isNew = false
        var changes: [Change] = []
        var movedBy: [UUID: Warning] = [:]
        // The signals that count cannot change within one batch: neither a close
        // nor an office level change happens inside it, and a warning raised
        // here has no office judgement yet.
        let receivedAfter = prior.open?.officeJudgedAt
        let scope = RiskScore.Scope(at: now, since: prior.lastClosed, receivedAfter: receivedAfter, rules: rules)
        var counted = prior.signals.filter(scope.counts)
        var sum = counted.reduce(0) { $0 + RiskScore.points($1, at: now, rules: rules) }

        for item in fresh {
            guard scope.counts(item.signal) else { continue }
            counted.append(item.signal)
            sum += RiskScore.points(item.signal, at: now, rules: rules)
            guard let reached = rules.level(for: RiskScore.rounded(sum)) else { continue }
            if let level = warning?.level, reached <= level { continue }

            let explanation = RiskScore.evaluate(counted, at: now, since: prior.lastClosed, receivedAfter: receivedAfter, rules: rules)
            var changed: Warning
            if var existing = warning {
                let previous = existing.level
                guard existing.rescore(explanation, units: item.units, rules: rules, calendar: calendar, at: now) else { continue }
                existing.version += 1
                existing.updatedAt = now
                changed = existing
                changes.append(.escalated(changed, previous: previous))
            } else {
                guard explanation.level != nil else { continue }
                changed = Warning.raise(id: newWarningId(), subject: subject, explanation: explanation, units: item.units,
                                        rules: rules, calendar: calendar, at: now)
                isNew = true
                changes.append(.raised(changed))
            }
            if changed.needsSpecialStudy(rules) {
                changed.specialStudyRequested = true
                changes.append(.specialStudyRequested(changed))
            }
            movedBy[item.signal.id] = changed
            warning = changed
        }
        return Outcome(warning: changes.isEmpty ? nil : warning, isNew: isNew, changes: changes, movedBy: movedBy)
    }
}
