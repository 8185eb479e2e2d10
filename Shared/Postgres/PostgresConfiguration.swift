import Foundation

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
        self.connectTimeout = Self.defaultConnectTimeout
    }

    /// 5 s, or libpq's own `PGCONNECT_TIMEOUT` (whole seconds) when the
    /// environment sets it: libpq would ignore the variable because the pool
    /// always passes `connect_timeout`, so the pool reads it instead. A
    /// `connect_timeout` in the URL still wins over both. (`make test` sets it
    /// longer: at the suite's start a hundred tests connect at once.)
    public static var defaultConnectTimeout: Duration {
        if let text = ProcessInfo.processInfo.environment["PGCONNECT_TIMEOUT"], let seconds = Int(text), seconds > 0 {
            return .seconds(seconds)
        }
        return .seconds(5)
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
