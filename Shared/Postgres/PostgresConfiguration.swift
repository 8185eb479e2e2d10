/// Where and how to connect. `connectionString` is passed to libpq unchanged
/// (conninfo `key=value` or `postgresql://` URI), so every libpq option works.
public struct PostgresConfiguration: Sendable {
    public var connectionString: String
    /// Upper bound of open connections in a `PostgresPool`.
    public var poolSize: Int
    /// libpq `connect_timeout` (whole seconds, rounded up; libpq's minimum is 2 s).
    public var connectTimeout: Duration

    public init(connectionString: String, poolSize: Int = 8) {
        self.connectionString = connectionString
        self.poolSize = poolSize
        self.connectTimeout = .seconds(5)
    }

    public init(connectionString: String, poolSize: Int = 8, connectTimeout: Duration) {
        self.init(connectionString: connectionString, poolSize: poolSize)
        self.connectTimeout = connectTimeout
    }

    var connectTimeoutSeconds: Int {
        let (seconds, attoseconds) = connectTimeout.components
        return max(2, Int(seconds) + (attoseconds > 0 ? 1 : 0))
    }
}
