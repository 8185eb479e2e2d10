import CLibPQ
import Foundation
import Logging

/// One libpq connection. An actor confined to its own serial queue (see
/// `PostgresConnectionExecutor`), so blocking libpq calls never occupy
/// Swift's cooperative threads and the PGconn is never used concurrently.
public actor PostgresConnection {
    let executor: PostgresConnectionExecutor
    public nonisolated var unownedExecutor: UnownedSerialExecutor { executor.asUnownedSerialExecutor() }
    private var handle: PGConnectionHandle?
    private let logger: Logger
    /// The statements prepared on this connection (`PostgresQuery.prepared`),
    /// by text and parameter types. A prepared statement outlives a rolled
    /// back transaction, so the names stay valid as long as the connection.
    private var preparedNames: [PreparedKey: String] = [:]

    private struct PreparedKey: Hashable {
        var sql: String
        var types: [UInt32]
    }

    private init(logger: Logger) {
        executor = PostgresConnectionExecutor(label: "shuangjian.postgres.connection")
        self.logger = logger
    }

    public static func connect(_ configuration: PostgresConfiguration, logger: Logger) async throws -> PostgresConnection {
        let connection = PostgresConnection(logger: logger)
        try await connection.open(configuration)
        return connection
    }

    /// Runs on the connection's queue: PQconnectdbParams blocks.
    private func open(_ configuration: PostgresConfiguration) throws {
        handle = try PGConnectionHandle.connect(configuration)
        // The caller's conninfo may have replaced our `options`; the decoders
        // need ISO dates in UTC and hex bytea, so enforce them if it did.
        if let conn = handle?.pointer,
           parameterStatus(conn, "TimeZone") != "UTC" || !(parameterStatus(conn, "DateStyle") ?? "").hasPrefix("ISO") {
            try executeScript("SET TimeZone = 'UTC'; SET DateStyle = 'ISO'; SET bytea_output = 'hex'")
        }
        logger.debug("postgres connected", metadata: ["server_version": "\(handle.map { PQserverVersion($0.pointer) } ?? 0)"])
    }

    private func parameterStatus(_ conn: OpaquePointer, _ name: String) -> String? {
        PQparameterStatus(conn, name).map { String(cString: $0) }
    }

    /// Runs one statement with bound parameters (PQexecParams, text results).
    @discardableResult
    public func query(_ query: PostgresQuery) throws -> PostgresRows {
        let conn = try liveConnection(for: query.sql)
        if let error = query.bindings.encodingError { throw error }
        let bindings = query.bindings
        let name = query.isPrepared ? try preparedName(for: query, conn: conn) : nil
        let result: OpaquePointer? = bindings.bytes.withUnsafeBytes { buffer in
            var values: [UnsafePointer<CChar>?] = []
            values.reserveCapacity(bindings.count)
            for offset in bindings.offsets {
                values.append(offset < 0 ? nil : buffer.baseAddress!.advanced(by: offset).assumingMemoryBound(to: CChar.self))
            }
            if let name {
                return PQexecPrepared(conn, name, Int32(bindings.count), values, bindings.lengths, bindings.formats, 0)
            }
            return PQexecParams(conn, query.sql, Int32(bindings.count), bindings.types, values,
                                bindings.lengths, bindings.formats, 0)
        }
        return PostgresRows(storage: try consume(result, conn: conn, query: query.sql))
    }

    /// The name of `query`'s statement on this connection, preparing it the
    /// first time (with the parameter types its bindings give).
    private func preparedName(for query: PostgresQuery, conn: OpaquePointer) throws -> String {
        let key = PreparedKey(sql: query.sql, types: query.bindings.types)
        if let name = preparedNames[key] { return name }
        let name = "sj_\(preparedNames.count + 1)"
        _ = try consume(PQprepare(conn, name, query.sql, Int32(query.bindings.count), query.bindings.types),
                        conn: conn, query: query.sql)
        preparedNames[key] = name
        return name
    }

    /// Runs one statement; returns the number of rows it affected.
    @discardableResult
    public func execute(_ query: PostgresQuery) throws -> Int {
        try self.query(query).affectedRows
    }

    /// Runs several statements without parameters (PQexec) — for migrations
    /// and test set-up only; never pass it text built from input.
    public func executeScript(_ sql: String) throws {
        let conn = try liveConnection(for: sql)
        _ = try consume(PQexec(conn, sql), conn: conn, query: sql)
    }

    /// Connected, and not inside a failed transaction.
    public var isHealthy: Bool {
        guard let conn = handle?.pointer, PQstatus(conn) == CONNECTION_OK else { return false }
        let status = PQtransactionStatus(conn)
        return status != PQTRANS_INERROR && status != PQTRANS_UNKNOWN
    }

    /// A transaction block is open (BEGIN was run and neither COMMIT nor
    /// ROLLBACK yet). Writers that must share the caller's transaction (the
    /// audit log's head lock, for one) refuse to run outside it.
    public var isInTransaction: Bool {
        guard let conn = handle?.pointer else { return false }
        let status = PQtransactionStatus(conn)
        return status == PQTRANS_INTRANS || status == PQTRANS_INERROR
    }

    public func close() {
        handle?.finish()
        handle = nil
    }

    // MARK: - For the pool

    /// Makes the connection fit for the next borrower: rolls back a transaction
    /// left open. False means discard it.
    func prepareForReuse() -> Bool {
        guard let conn = handle?.pointer, PQstatus(conn) == CONNECTION_OK else { return false }
        switch PQtransactionStatus(conn) {
        case PQTRANS_IDLE:
            return true
        case PQTRANS_INTRANS, PQTRANS_INERROR:
            PQexec(conn, "ROLLBACK").map { PQclear($0) }
            return PQstatus(conn) == CONNECTION_OK && PQtransactionStatus(conn) == PQTRANS_IDLE
        default:
            return false
        }
    }

    /// A pool query in one hop: run it and report whether to keep the connection.
    func queryForPool(_ query: PostgresQuery) -> (Result<PostgresRows, any Error>, reusable: Bool) {
        let result = Result { try self.query(query) }
        return (result, prepareForReuse())
    }

    /// COMMIT, refusing to report success for a transaction the server has
    /// already aborted (there COMMIT quietly answers ROLLBACK).
    func commit() throws {
        if let conn = handle?.pointer, PQtransactionStatus(conn) == PQTRANS_INERROR {
            _ = try? query("ROLLBACK")
            throw PostgresError(sqlState: "25P02", message: "the transaction was aborted by an earlier error and has been rolled back",
                                query: "COMMIT")
        }
        try query("COMMIT")
    }

    /// Rolls back if a transaction is open and the connection still works.
    func rollbackIfNeeded() {
        guard let conn = handle?.pointer, PQstatus(conn) == CONNECTION_OK,
              PQtransactionStatus(conn) != PQTRANS_IDLE else { return }
        PQexec(conn, "ROLLBACK").map { PQclear($0) }
    }

    // MARK: - Internals

    /// The PGconn, after a cheap non-blocking read (PQconsumeInput) that notices
    /// a server which closed the connection while it was idle — e.g. after a
    /// restart — so the statement is reported as never sent and can be retried.
    private func liveConnection(for sql: String) throws -> OpaquePointer {
        guard let conn = handle?.pointer else {
            throw PostgresError(message: "the connection is closed", query: sql, connectionLost: true, notSent: true)
        }
        if serverClosedWhileIdle(conn) {
            let message = handle?.errorMessage ?? "connection lost"
            throw PostgresError(message: message.isEmpty ? "connection lost" : message, query: sql,
                                connectionLost: true, notSent: true)
        }
        return conn
    }

    /// A zero-timeout poll(2) costs one syscall when nothing is pending. If
    /// the socket is readable while idle, the server has sent something —
    /// typically FATAL 57P01 and EOF on shutdown. libpq only notices the EOF
    /// on a read after the one that got the message, so read until it stops.
    private func serverClosedWhileIdle(_ conn: OpaquePointer) -> Bool {
        guard PQstatus(conn) == CONNECTION_OK else { return true }
        var descriptor = pollfd(fd: PQsocket(conn), events: Int16(POLLIN), revents: 0)
        var reads = 0
        while reads < 8, poll(&descriptor, 1, 0) > 0 {
            if PQconsumeInput(conn) == 0 || PQstatus(conn) != CONNECTION_OK { return true }
            reads += 1
        }
        return false
    }

    /// Copies a result into Swift storage (clearing the PGresult), or turns it into an error.
    private func consume(_ result: OpaquePointer?, conn: OpaquePointer, query: String) throws -> PostgresResultStorage {
        guard let result else {
            throw PostgresError(message: handle?.errorMessage ?? "no result", query: query,
                                connectionLost: PQstatus(conn) != CONNECTION_OK)
        }
        let owned = PGResultHandle(result)
        switch PQresultStatus(result) {
        case PGRES_TUPLES_OK:
            return PostgresResultStorage(copying: owned)
        case PGRES_COMMAND_OK, PGRES_EMPTY_QUERY:
            return PostgresResultStorage(commandResult: owned)
        default:
            throw PostgresError(result: owned, query: query, connectionLost: PQstatus(conn) != CONNECTION_OK)
        }
    }
}

extension PostgresError {
    /// Reads SQLSTATE, message and detail from an error result.
    init(result: borrowing PGResultHandle, query: String?, connectionLost: Bool) {
        let res = result.pointer
        func field(_ code: Unicode.Scalar) -> String? {
            PQresultErrorField(res, Int32(UInt8(ascii: code))).map { String(cString: $0) }
        }
        let fallback = PQresultErrorMessage(res).map { String(cString: $0).trimmingTrailingNewlines } ?? "unknown error"
        self.init(sqlState: field("C"), message: field("M") ?? fallback, detail: field("D"), query: query,
                  connectionLost: connectionLost)
    }
}
