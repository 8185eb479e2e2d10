import Domain
import Foundation

/// Why an act on a warning is refused (a 409 for the API).
struct WarningConflict: Error, CustomStringConvertible, Equatable {
    var description: String
    init(_ description: String) { self.description = description }
}

extension Warning {
    /// The system actor that raises and escalates warnings.
    static let scorer = "inspection"

    /// A new warning for `subject` at the level `explanation` reached.
    static func raise(
        id: UUID, subject: Subject, explanation: Explanation, units: [ResponsibleUnit], rules: RiskRules,
        calendar: WorkingDayCalendar, at now: Date
    ) -> Warning {
        let level = explanation.level ?? .blue
        var warning = Warning(
            id: id, subject: subject, level: level, status: .raised, score: explanation.score, responsibleUnits: units,
            responsibleUnitIds: units.map(\.unitId), explanation: explanation,
            levelHistory: [LevelChange(from: nil, to: level, at: now, by: scorer, reason: Self.scoreReason(explanation), score: explanation.score)],
            handlingSteps: [], confirmed: nil, circulated: nil, closed: nil, specialStudyRequested: false, raisedAt: now,
            version: 1, updatedAt: now)
        warning.plan(level, rules: rules, calendar: calendar, at: now)
        return warning
    }

    /// A later evaluation of an open warning's subject: its score and
    /// explanation follow the signals; its level only ever rises by score
    /// (lowering is the office's judgement). Returns whether the level rose.
    mutating func rescore(
        _ explanation: Explanation, units: [ResponsibleUnit], rules: RiskRules, calendar: WorkingDayCalendar, at now: Date
    ) -> Bool {
        score = explanation.score
        self.explanation = explanation
        for unit in units where !responsibleUnits.contains(where: { $0.unitId == unit.unitId }) { responsibleUnits.append(unit) }
        responsibleUnits = responsibleUnits.filter { $0.role == .lead } + responsibleUnits.filter { $0.role != .lead }
        guard let reached = explanation.level, reached > level else { return false }
        levelHistory.append(LevelChange(from: level, to: reached, at: now, by: Self.scorer, reason: Self.scoreReason(explanation), score: explanation.score))
        level = reached
        plan(reached, rules: rules, calendar: calendar, at: now)
        return true
    }

    /// When the office last changed the level (its judgement covers the
    /// signals received until then: only later ones may take the score above it).
    var officeJudgedAt: Date? { levelHistory.last { $0.by != Self.scorer }?.at }

    /// Whether this warning should ask for a 专题研判 session now (once).
    func needsSpecialStudy(_ rules: RiskRules) -> Bool {
        !specialStudyRequested && status != .closed && level >= rules.specialStudy.level
    }

    mutating func confirm(by actor: String, at now: Date, note: String?) throws(WarningConflict) {
        guard status == .raised else { throw WarningConflict("a \(status.rawValue) warning cannot be confirmed; only a raised one") }
        status = .confirmed
        confirmed = Act(by: actor, at: now, note: note)
    }

    mutating func changeLevel(
        to newLevel: WarningLevel, reason: String, by actor: String, rules: RiskRules, calendar: WorkingDayCalendar, at now: Date
    ) throws(WarningConflict) {
        guard status != .closed else { throw WarningConflict("a closed warning's level cannot change") }
        guard newLevel != level else { throw WarningConflict("the warning is \(level.rawValue) already") }
        levelHistory.append(LevelChange(from: level, to: newLevel, at: now, by: actor, reason: reason, score: score))
        let rose = newLevel > level
        level = newLevel
        if rose { plan(newLevel, rules: rules, calendar: calendar, at: now) }
    }

    mutating func circulate(by actor: String, at now: Date, note: String) throws(WarningConflict) {
        guard status == .confirmed else {
            throw WarningConflict("only a confirmed warning can be circulated; this one is \(status.rawValue)")
        }
        status = .circulated
        circulated = Act(by: actor, at: now, note: note)
    }

    mutating func close(by actor: String, at now: Date, reason: String) throws(WarningConflict) {
        guard status != .closed else { throw WarningConflict("the warning is closed already") }
        status = .closed
        closed = Act(by: actor, at: now, note: reason)
    }

    /// The handling steps `level` asks for, unless it asked already: each
    /// step to the lead units (`who: lead`; all units where none leads), to
    /// the assisting units (`who: assisting`: a lead unit is not asked to
    /// assist itself), or to every responsible unit (`who: all`), due in
    /// working days.
    private mutating func plan(_ level: WarningLevel, rules: RiskRules, calendar: WorkingDayCalendar, at now: Date) {
        guard !handlingSteps.contains(where: { $0.level == level }) else { return }
        let leads = responsibleUnits.filter { $0.role == .lead }
        let today = LocalDate(now)
        for rule in rules.handling[level] ?? [] {
            let units: [ResponsibleUnit]
            switch rule.who {
            case .lead: units = leads.isEmpty ? responsibleUnits : leads
            case .assisting: units = leads.isEmpty ? [] : responsibleUnits.filter { $0.role != .lead }
            case .all: units = responsibleUnits
            }
            let due = Self.due(rule.workingDays, after: today, calendar: calendar)
            for unit in units {
                handlingSteps.append(HandlingStep(
                    id: "\(id.uuidString.lowercased())/\(handlingSteps.count + 1)", level: level, title: rule.title,
                    unitId: unit.unitId, unitName: unit.name, role: unit.role, assignedAt: now, dueDate: due.value,
                    workingDays: rule.workingDays, provisional: due.isProvisional))
            }
        }
    }

    /// `n` working days after `date`; beyond the calendar's years (no data
    /// at all), calendar weeks of five working days, marked provisional.
    static func due(_ n: Int, after date: LocalDate, calendar: WorkingDayCalendar) -> CalendarAnswer<LocalDate> {
        if let answer = try? calendar.addingWorkingDays(n, to: date) { return answer }
        return CalendarAnswer(value: date.adding(days: (n * 7 + 4) / 5), provisionalYears: [date.year])
    }

    static func scoreReason(_ explanation: Explanation) -> String {
        let threshold = explanation.threshold.map { RiskScore.rounded($0) } ?? 0
        return "score \(explanation.score) reached the \(explanation.level?.rawValue ?? "blue") threshold \(threshold)"
            + " (\(explanation.contributions.count) signals in \(explanation.windowDays) days)"
    }
}
