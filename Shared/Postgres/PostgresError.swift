/// An error reported by the server or by libpq.
public struct PostgresError: Error, CustomStringConvertible, Sendable {
    public var sqlState: String?
    public var message: String
    public var detail: String?
    /// The SQL text (never the bound values, which may be personal data).
    public var query: String?
    /// libpq reported the connection as gone (CONNECTION_BAD).
    public var connectionLost: Bool
    /// The statement never reached the server (the connection was found dead
    /// before sending), so running it again elsewhere cannot duplicate it.
    public var notSent: Bool

    public init(sqlState: String? = nil, message: String, detail: String? = nil, query: String? = nil,
                connectionLost: Bool = false, notSent: Bool = false) {
        self.sqlState = sqlState
        self.message = message
        self.detail = detail
        self.query = query
        self.connectionLost = connectionLost
        self.notSent = notSent
    }

    /// Connection lost / refused / server shutting down: class 08, 57P01–57P03, or CONNECTION_BAD.
    public var isConnectionError: Bool {
        if connectionLost { return true }
        guard let state = sqlState else { return false }
        return state.hasPrefix("08") || state == "57P01" || state == "57P02" || state == "57P03"
    }

    /// Serialization failure or deadlock: the transaction may simply be run again.
    public var isSerializationFailure: Bool { sqlState == "40001" || sqlState == "40P01" }

    public var isTransient: Bool { isConnectionError || isSerializationFailure }

    public var description: String {
        var text = "PostgresError"
        if let sqlState { text += " [\(sqlState)]" }
        text += ": \(message)"
        if let detail { text += " (\(detail))" }
        if let query { text += " — query: \(query)" }
        return text
    }
}

/// A value could not be decoded from a result column.
public struct PostgresDecodingError: Error, CustomStringConvertible, Sendable {
    public var column: String
    public var columnIndex: Int
    public var targetType: String
    public var reason: String

    public var description: String {
        "cannot decode column \"\(column)\" (#\(columnIndex)) as \(targetType): \(reason)"
    }
}
