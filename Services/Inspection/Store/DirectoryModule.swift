import Directory
import ServiceKit

extension ModuleSchema {
    /// The shared directory's tables (schema `directory`), migrated before the
    /// service's own (ServiceSchema).
    static let directory = ModuleSchema(name: "directory") { pool, logger in
        try await DirectorySchema.migrate(pool, logger: logger)
    }
}
