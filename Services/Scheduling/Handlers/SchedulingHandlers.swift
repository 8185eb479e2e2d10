import Audit
import Directory
import Domain
import EventFlow
import Foundation
import Postgres
import ServiceKit

/// The scheduling service's consumer (`ConsumerGroup.scheduling`): the
/// directory learns the registry's units and people, and every admitted
/// unit — the 26 of the notice included, which arrive as `unit.admitted.v1`
/// — gets its task 制定本单位工作方案 (通知 四(一)), once; a liaison's
/// acknowledgement of a letter's notification is the unit's 签收; and the
/// inspection service's warnings and findings make tasks and 专题研判
/// requests (InspectionHandlers).
enum SchedulingHandlers {
    static let actor = AuditActor.system("scheduling.directory")

    static func make(settings: SchedulingSettings, clock: @escaping @Sendable () -> Date) -> EventHandlers {
        let deadlines = settings.deadlines
        var handlers = EventHandlers()
        DirectoryHandlers.register(into: &handlers, followUps: .init(unitAdmitted: { unit, event, connection in
            guard unit.status == .active else { return }
            // Counted from when the admission reaches this service, not from
            // the admission itself: the 26 units of the notice were admitted
            // in 2022, and their plans are due from the day the mechanism's
            // desk gives them the task. Once per unit: a replay finds the task.
            let draft = TaskDraft(
                title: WorkPlanTask.title, detail: WorkPlanTask.detail,
                origin: TaskOrigin(kind: .workPlan, reference: unit.id), leadUnitId: unit.id,
                due: .workingDays(settings.workPlanWorkingDays))
            do {
                _ = try await Tasks.create(draft, by: actor, at: clock(), deadlines: deadlines, on: connection)
            } catch let problem as Problem {
                // The unit or the date cannot make a task (not a passing failure): a dead letter.
                throw EventRejected("no work-plan task for \(unit.id): \(problem)")
            }
        }))
        AcknowledgementHandlers.register(on: &handlers, now: clock)
        InspectionHandlers.register(on: &handlers, deadlines: deadlines, now: clock)
        return handlers
    }
}
