import Foundation

/// A unit's report on a task: progress (进展情况) while working, or the
/// completion report (完成情况) that asks the office to accept the work.
struct TaskReport: Codable, Sendable, Equatable {
    var id: UUID
    var taskId: UUID
    var kind: TaskReportKind
    /// The reporting unit: the lead unit, or an assisting unit reporting its part.
    var unitId: String
    var text: String
    var attachments: [Attachment]
    var reportedBy: String
    var reportedAt: Date
}

enum TaskReportKind: String, Codable, Sendable, CaseIterable, Equatable {
    case progress
    case completion
}
