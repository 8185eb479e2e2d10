import Domain
import EventFlow
import Foundation

/// A task's state written by hand in `WorkTask`'s `Codable` shape, byte for
/// byte what `EventJSON.encoder` writes (WorkTaskJSONTests compares them):
/// the timer worker encodes a task for every reminder and overdue mark, and
/// at thousands a second `JSONEncoder`'s boxing of each value was the
/// largest cost on the service's side. A member added to one of these
/// types is added here too, in its sorted place, or the test fails.
enum WorkTaskJSON {
    static func encode(_ task: WorkTask) -> [UInt8] {
        var writer = JSONTextWriter(capacity: 640)
        write(task, to: &writer)
        return writer.bytes
    }

    static func write(_ task: WorkTask, to writer: inout JSONTextWriter) {
        writer.beginObject()
        if let at = task.acceptedAt { writer.key("acceptedAt"); writer.date(at) }
        writer.key("assistingUnitIds"); strings(task.assistingUnitIds, to: &writer)
        if let at = task.completedAt { writer.key("completedAt"); writer.date(at) }
        writer.key("createdAt"); writer.date(task.createdAt)
        writer.key("createdBy"); writer.string(task.createdBy)
        if let detail = task.detail { writer.key("detail"); writer.string(detail) }
        writer.key("dueDate"); writer.string(task.dueDate.description)
        writer.key("id"); writer.uuid(task.id)
        writer.key("leadUnitId"); writer.string(task.leadUnitId)
        writer.key("origin")
        writer.beginObject()
        writer.key("kind"); writer.string(task.origin.kind)
        if let reference = task.origin.reference { writer.key("reference"); writer.string(reference) }
        writer.endObject()
        if let at = task.overdueAt { writer.key("overdueAt"); writer.date(at) }
        writer.key("remindersSent")
        writer.beginArray()
        for days in task.remindersSent { writer.integer(days) }
        writer.endArray()
        writer.key("returns")
        writer.beginArray()
        for returned in task.returns {
            writer.beginObject()
            writer.key("dueDate"); writer.string(returned.dueDate.description)
            writer.key("previousDueDate"); writer.string(returned.previousDueDate.description)
            writer.key("reason"); writer.string(returned.reason)
            writer.key("returnedAt"); writer.date(returned.returnedAt)
            writer.key("returnedBy"); writer.string(returned.returnedBy)
            writer.endObject()
        }
        writer.endArray()
        writer.key("status"); writer.string(task.status)
        if let at = task.submittedAt { writer.key("submittedAt"); writer.date(at) }
        writer.key("title"); writer.string(task.title)
        writer.key("updatedAt"); writer.date(task.updatedAt)
        writer.key("version"); writer.integer(task.version)
        writer.endObject()
    }

    private static func strings(_ values: [String], to writer: inout JSONTextWriter) {
        writer.beginArray()
        for value in values { writer.string(value) }
        writer.endArray()
    }
}
