import Domain
import Foundation

/// What a new task needs, whoever creates it: the office (POST /v1/tasks),
/// a decision of published minutes, an overdue letter, an inspection
/// finding, an admitted unit.
struct TaskDraft: Sendable, Equatable {
    var title: String
    var detail: String?
    var origin: TaskOrigin
    var leadUnitId: String
    var assistingUnitIds: [String]
    var due: DueSpec

    init(
        title: String, detail: String? = nil, origin: TaskOrigin, leadUnitId: String, assistingUnitIds: [String] = [],
        due: DueSpec
    ) {
        self.title = title
        self.detail = detail
        self.origin = origin
        self.leadUnitId = leadUnitId
        self.assistingUnitIds = assistingUnitIds
        self.due = due
    }

    /// The problems with the draft's own fields (field path, detail); the
    /// units' existence is checked against the directory by `Tasks.create`.
    var problems: [(field: String, detail: String)] {
        var problems: [(String, String)] = []
        if title.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { problems.append(("title", "must not be blank")) }
        if assistingUnitIds.contains(leadUnitId) {
            problems.append(("assistingUnitIds", "must not include the lead unit \(leadUnitId)"))
        }
        if Set(assistingUnitIds).count != assistingUnitIds.count {
            problems.append(("assistingUnitIds", "must not repeat a unit"))
        }
        if case .workingDays(let n) = due, n < 1 { problems.append(("dueInWorkingDays", "must be at least 1")) }
        return problems
    }
}
