import CLibPQ

/// A query result copied out of a PGresult: every cell's text in one byte
/// buffer plus (start, length) per cell. One allocation per result rather
/// than one String per cell; decoding reads the bytes in place.
final class PostgresResultStorage: Sendable {
    let columns: [String]
    let columnTypes: [PostgresType]
    let rowCount: Int
    let affectedRows: Int
    let bytes: [UInt8]
    /// Per cell, row-major: start offset into `bytes`, and length (-1 = NULL).
    let cellStarts: [Int]
    let cellLengths: [Int32]

    static let empty = PostgresResultStorage(
        columns: [], columnTypes: [], rowCount: 0, affectedRows: 0, bytes: [], cellStarts: [], cellLengths: [])

    init(columns: [String], columnTypes: [PostgresType], rowCount: Int, affectedRows: Int,
         bytes: [UInt8], cellStarts: [Int], cellLengths: [Int32]) {
        self.columns = columns
        self.columnTypes = columnTypes
        self.rowCount = rowCount
        self.affectedRows = affectedRows
        self.bytes = bytes
        self.cellStarts = cellStarts
        self.cellLengths = cellLengths
    }

    /// Copies everything the caller needs; the PGresult can be cleared right after.
    convenience init(copying result: borrowing PGResultHandle) {
        let res = result.pointer
        let rows = Int(PQntuples(res))
        let cols = Int(PQnfields(res))
        var columns: [String] = []
        var types: [PostgresType] = []
        columns.reserveCapacity(cols)
        types.reserveCapacity(cols)
        for c in 0..<cols {
            columns.append(String(cString: PQfname(res, Int32(c))))
            types.append(PostgresType(rawValue: PQftype(res, Int32(c))))
        }
        var total = 0
        for r in 0..<rows {
            for c in 0..<cols { total += Int(PQgetlength(res, Int32(r), Int32(c))) }
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(total)
        var starts: [Int] = []
        var lengths: [Int32] = []
        starts.reserveCapacity(rows * cols)
        lengths.reserveCapacity(rows * cols)
        for r in 0..<rows {
            for c in 0..<cols {
                if PQgetisnull(res, Int32(r), Int32(c)) != 0 {
                    starts.append(0); lengths.append(-1)
                    continue
                }
                let length = PQgetlength(res, Int32(r), Int32(c))
                starts.append(bytes.count); lengths.append(length)
                if let value = PQgetvalue(res, Int32(r), Int32(c)), length > 0 {
                    bytes.append(contentsOf: UnsafeRawBufferPointer(start: value, count: Int(length)))
                }
            }
        }
        self.init(columns: columns, columnTypes: types, rowCount: rows, affectedRows: Self.affectedRows(res),
                  bytes: bytes, cellStarts: starts, cellLengths: lengths)
    }

    /// A command without rows (INSERT, UPDATE, …): only the affected-row count.
    convenience init(commandResult result: borrowing PGResultHandle) {
        self.init(columns: [], columnTypes: [], rowCount: 0, affectedRows: Self.affectedRows(result.pointer),
                  bytes: [], cellStarts: [], cellLengths: [])
    }

    private static func affectedRows(_ res: OpaquePointer) -> Int {
        guard let text = PQcmdTuples(res) else { return 0 }
        var value = 0
        var p = text
        while p.pointee >= 48, p.pointee <= 57 { value = value * 10 + Int(p.pointee - 48); p += 1 }
        return value
    }
}

/// Sole owner of one PGresult; PQclear when it goes out of scope.
struct PGResultHandle: ~Copyable {
    let pointer: OpaquePointer
    init(_ pointer: OpaquePointer) { self.pointer = pointer }
    deinit { PQclear(pointer) }
}
