import Domain
import Foundation

extension Finding {
    /// The finding an inspection's item raises, with its first round of
    /// rectification due in `workingDays` working days after `now`'s day.
    static func raise(
        id: UUID, inspection: Inspection, item: ChecklistItem, result: ItemResult, unitId: String, unitName: String,
        responsibleUnitIds: [String]? = nil, workingDays: Int, calendar: WorkingDayCalendar, at now: Date
    ) -> Finding {
        var finding = Finding(
            id: id, campaignId: inspection.campaignId, campaignTitle: inspection.campaignTitle, inspectionId: inspection.id,
            groupId: inspection.groupId, subjectKind: inspection.subjectKind, unitId: unitId, unitName: unitName,
            responsibleUnitIds: responsibleUnitIds ?? [unitId],
            institutionId: inspection.institutionId, institutionName: inspection.institutionId == nil ? nil : inspection.subjectName,
            inspectorIds: inspection.inspectorIds, item: Item(id: item.id, text: item.text, basis: item.basis), outcome: result.outcome,
            description: result.notes ?? item.text, status: .open, rectification: nil, previousRounds: [], rechecks: [],
            closed: nil, raisedAt: now, version: 1, updatedAt: now)
        finding.startRound(1, workingDays: workingDays, calendar: calendar, at: now)
        return finding
    }

    /// The scheduling service's task for the current round moved: taken on,
    /// reported, returned (rectifying) or completed (awaiting the re-check).
    /// Events of an earlier round, or of a closed finding, change nothing.
    mutating func taskMoved(reference: String, taskId: UUID, completed: Bool, at time: Date) -> Bool {
        guard status != .closed, var round = rectification, round.id == reference else { return false }
        if completed {
            guard status != .awaitingRecheck else { return false }
            round.completedAt = time
            round.onTime = LocalDate(time) <= round.dueDate
            status = .awaitingRecheck
        } else if status == .open {
            status = .rectifying
        } else if round.taskId != nil {
            return false
        }
        round.taskId = taskId
        rectification = round
        return true
    }

    /// The group's re-check: passed closes the finding; failed starts the
    /// next round, due in `workingDays` working days.
    mutating func recheck(
        passed: Bool, note: String, by actor: String, workingDays: Int, calendar: WorkingDayCalendar, at now: Date
    ) throws(CampaignConflict) {
        guard status == .awaitingRecheck, let round = rectification else {
            throw CampaignConflict("a finding is re-checked once its rectification task is completed; this one is \(status.rawValue)")
        }
        rechecks.append(Recheck(round: round.round, passed: passed, note: note, by: actor, at: now))
        if passed {
            status = .closed
            closed = Closing(reason: "recheck-passed", note: note, by: actor, at: now)
        } else {
            previousRounds.append(round)
            startRound(round.round + 1, workingDays: workingDays, calendar: calendar, at: now)
            status = .open
        }
    }

    /// The office closes a finding whatever its state (e.g. the matter is moot), with its reason.
    mutating func close(by actor: String, reason: String, at now: Date) throws(CampaignConflict) {
        guard status != .closed else { throw CampaignConflict("the finding is closed already") }
        status = .closed
        closed = Closing(reason: "office", note: reason, by: actor, at: now)
    }

    private mutating func startRound(_ round: Int, workingDays: Int, calendar: WorkingDayCalendar, at now: Date) {
        let due = Warning.due(workingDays, after: LocalDate(now), calendar: calendar)
        let prefix = round == 1 ? "整改" : "整改（第\(round)轮）"
        // The scheduling service takes titles of at most 200 characters.
        var title = "\(prefix)：\(item.text)"
        if title.unicodeScalars.count > 200 { title = String(String.UnicodeScalarView(title.unicodeScalars.prefix(199))) + "…" }
        rectification = Rectification(
            id: "\(id.uuidString.lowercased())/\(round)", round: round, title: title,
            unitId: unitId, assistingUnitIds: [], assignedAt: now, dueDate: due.value, workingDays: workingDays,
            provisional: due.isProvisional, taskId: nil, completedAt: nil, onTime: nil)
    }
}
