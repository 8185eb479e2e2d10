import CLibPQ
import Foundation

/// Sole owner of one PGconn: PQfinish exactly once, on close or deinit.
/// Only ever touched from its connection's executor.
final class PGConnectionHandle {
    private(set) var pointer: OpaquePointer?

    init(_ pointer: OpaquePointer) { self.pointer = pointer }

    func finish() {
        if let pointer { PQfinish(pointer) }
        pointer = nil
    }

    deinit { finish() }
}

extension PGConnectionHandle {
    /// Connects with libpq's blocking call; run only off the cooperative pool.
    /// Session defaults come first so that the caller's conninfo may override them.
    static func connect(_ configuration: PostgresConfiguration) throws -> PGConnectionHandle {
        let keys = ["connect_timeout", "client_encoding", "options", "application_name", "dbname"]
        let values = [
            String(configuration.connectTimeoutSeconds), "UTF8",
            "-c TimeZone=UTC -c DateStyle=ISO -c bytea_output=hex -c IntervalStyle=iso_8601",
            "shuangjian", configuration.connectionString,
        ]
        let conn = withCStrings(keys) { k in
            withCStrings(values) { v in PQconnectdbParams(k, v, 1) }
        }
        guard let conn else { throw PostgresError(message: "libpq could not allocate a connection", connectionLost: true) }
        let handle = PGConnectionHandle(conn)
        guard PQstatus(conn) == CONNECTION_OK else {
            throw PostgresError(message: handle.errorMessage, connectionLost: true)
        }
        // libpq's default prints notices (and the FATAL a server sends to idle
        // sessions when it shuts down) to stderr; errors reach callers anyway.
        PQsetNoticeReceiver(conn, { _, _ in }, nil)
        return handle
    }

    var errorMessage: String {
        guard let pointer, let message = PQerrorMessage(pointer) else { return "no connection" }
        return String(cString: message).trimmingTrailingNewlines
    }
}

/// A NULL-terminated array of C strings valid for the closure's duration.
func withCStrings<R>(_ strings: [String], _ body: (UnsafePointer<UnsafePointer<CChar>?>) -> R) -> R {
    let copies = strings.map { strdup($0) }
    defer { copies.forEach { free($0) } }
    let pointers: [UnsafePointer<CChar>?] = copies.map { UnsafePointer($0) } + [nil]
    return pointers.withUnsafeBufferPointer { body($0.baseAddress!) }
}

extension String {
    var trimmingTrailingNewlines: String {
        var s = Substring(self)
        while let last = s.last, last.isNewline || last == " " { s.removeLast() }
        return String(s)
    }
}
