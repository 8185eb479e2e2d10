/// One row of a result. Cheap to copy: it shares the result's storage.
public struct PostgresRow: Sendable {
    let storage: PostgresResultStorage
    let index: Int

    public var columns: [String] { storage.columns }

    public func isNull(_ column: Int) -> Bool {
        storage.cellLengths[index * storage.columns.count + column] < 0
    }

    public func decode<T: PostgresDecodable>(_ column: Int, as: T.Type = T.self) throws -> T {
        let columnCount = storage.columns.count
        guard column >= 0, column < columnCount else {
            throw PostgresDecodingError(column: "#\(column)", columnIndex: column, targetType: "\(T.self)",
                                        reason: "the result has only \(columnCount) columns")
        }
        let cell = index * columnCount + column
        let length = Int(storage.cellLengths[cell])
        if length < 0 {
            guard let null = T.postgresNull else {
                throw PostgresDecodingError(column: storage.columns[column], columnIndex: column, targetType: "\(T.self)",
                                            reason: "the value is NULL; decode as Optional")
            }
            return null
        }
        let start = storage.cellStarts[cell]
        do {
            return try T(postgresText: storage.bytes[start..<start + length], type: storage.columnTypes[column])
        } catch {
            throw PostgresDecodingError(column: storage.columns[column], columnIndex: column, targetType: "\(T.self)",
                                        reason: (error as? PostgresValueError)?.reason ?? "\(error)")
        }
    }

    public func decode<T: PostgresDecodable>(_ column: String, as: T.Type = T.self) throws -> T {
        guard let index = storage.columns.firstIndex(of: column) else {
            throw PostgresDecodingError(column: column, columnIndex: -1, targetType: "\(T.self)",
                                        reason: "no such column; the result has \(storage.columns)")
        }
        return try decode(index, as: T.self)
    }

    /// Decodes the first columns in order: `let (id, name) = try row.decode((UUID, String).self)`.
    public func decode<each T: PostgresDecodable>(_ types: (repeat each T).Type) throws -> (repeat each T) {
        var column = 0
        func next<V: PostgresDecodable>(_: V.Type) throws -> V {
            defer { column += 1 }
            return try decode(column, as: V.self)
        }
        return (repeat try next((each T).self))
    }
}

/// All rows of a result, already copied out of libpq.
public struct PostgresRows: RandomAccessCollection, Sendable {
    let storage: PostgresResultStorage

    public var count: Int { storage.rowCount }
    /// Rows inserted, updated, deleted or selected, as reported by the command tag.
    public var affectedRows: Int { storage.affectedRows }
    public var columns: [String] { storage.columns }

    public var startIndex: Int { 0 }
    public var endIndex: Int { storage.rowCount }
    public subscript(position: Int) -> PostgresRow { PostgresRow(storage: storage, index: position) }
}
