import ArgumentParser
import Audit
import EventFlow
import Foundation

/// `sjctl audit log --service NAME --aggregate ID`: one aggregate's history
/// from the service's audit log, oldest first, one line per entry (seq,
/// time in UTC, actor, action, the start of the digest). It reads; it does
/// not verify (that is `sjctl audit verify`).
struct AuditLogCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "log",
        abstract: "Print an aggregate's audit history (who did what, when).")

    @OptionGroup var database: AuditDatabaseOptions

    @Option(help: "The aggregate's id, e.g. a unit id (education-bureau) or a person's UUID.")
    var aggregate: String

    func validate() throws {
        if aggregate.trimmingCharacters(in: .whitespaces).isEmpty { throw ValidationError("--aggregate is empty") }
    }

    func run() async throws {
        let logger = database.logger("sjctl.audit")
        let pool = database.pool(logger: logger)
        var entries: [AuditEntry] = []
        do {
            var page = 1
            while true {
                let result = try await AuditLog.entries(aggregate: aggregate, page: page, pageSize: 200, in: pool)
                entries += result.items
                if result.items.count < 200 || entries.count >= result.total { break }
                page += 1
            }
        } catch {
            await pool.close()
            throw AuditUnavailable.database(error, options: database).exit()
        }
        await pool.close()

        guard !entries.isEmpty else {
            print("\(database.service): no audit entries for aggregate \(aggregate)")
            return
        }
        print("\(database.service): aggregate \(aggregate), \(entries.count) entr\(entries.count == 1 ? "y" : "ies")")
        for line in AuditHistoryTable(entries).lines { print(line) }
    }
}

/// Entries as aligned columns: SEQ, TIME (UTC), ACTOR, ACTION, DIGEST.
struct AuditHistoryTable {
    let rows: [[String]]

    init(_ entries: [AuditEntry]) {
        rows = [["SEQ", "TIME (UTC)", "ACTOR", "ACTION", "DIGEST"]] + entries.map { entry in
            let actor = entry.actor.subject + " (" + entry.actor.role + (entry.actor.unitId.map { ", unit \($0)" } ?? "") + ")"
            return [String(entry.seq), RFC3339.format(entry.at), actor, entry.action, String(entry.digest.prefix(16)) + "…"]
        }
    }

    var lines: [String] {
        let widths = (0..<5).map { column in rows.map { $0[column].count }.max() ?? 0 }
        return rows.map { row in
            row.enumerated().map { column, text in
                // Numbers right-aligned, the last column unpadded.
                if column == 0 { return String(repeating: " ", count: widths[0] - text.count) + text }
                if column == row.count - 1 { return text }
                return text + String(repeating: " ", count: widths[column] - text.count)
            }.joined(separator: "  ")
        }
    }
}
