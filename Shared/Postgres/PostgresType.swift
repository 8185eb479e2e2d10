/// A PostgreSQL type OID, sent with each bound parameter so the server never guesses.
public struct PostgresType: RawRepresentable, Hashable, Sendable {
    public var rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    public static let bool = PostgresType(rawValue: 16)
    public static let bytea = PostgresType(rawValue: 17)
    public static let int8 = PostgresType(rawValue: 20)
    public static let int2 = PostgresType(rawValue: 21)
    public static let int4 = PostgresType(rawValue: 23)
    public static let text = PostgresType(rawValue: 25)
    public static let float8 = PostgresType(rawValue: 701)
    public static let textArray = PostgresType(rawValue: 1009)
    public static let timestamptz = PostgresType(rawValue: 1184)
    public static let uuid = PostgresType(rawValue: 2950)
    public static let jsonb = PostgresType(rawValue: 3802)
    /// Let the server infer the type from context.
    public static let unspecified = PostgresType(rawValue: 0)
}

/// Wire format of one bound parameter.
public enum PostgresFormat: Int32, Sendable {
    case text = 0
    case binary = 1
}
