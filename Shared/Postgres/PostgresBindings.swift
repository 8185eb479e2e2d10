/// The bound parameters of a query, laid out the way PQexecParams wants them:
/// all values in one contiguous byte buffer (text values NUL-terminated, as
/// libpq ignores lengths for text parameters), plus parallel arrays of
/// offsets, lengths, formats and type OIDs. One buffer instead of one array
/// per value keeps allocations per query constant.
public struct PostgresBindings: Sendable {
    var bytes: [UInt8] = []
    var offsets: [Int] = []        // -1 = NULL
    var lengths: [Int32] = []
    var formats: [Int32] = []
    var types: [UInt32] = []
    /// First encoding failure (e.g. a JSON value that cannot be encoded);
    /// thrown when the query runs, because string interpolation cannot throw.
    var encodingError: (any Error)?

    public init() {}

    public var count: Int { offsets.count }

    /// Appends another query's parameters after ours.
    public mutating func append(contentsOf other: PostgresBindings) {
        let shift = bytes.count
        bytes.append(contentsOf: other.bytes)
        offsets.append(contentsOf: other.offsets.map { $0 < 0 ? $0 : $0 + shift })
        lengths.append(contentsOf: other.lengths)
        formats.append(contentsOf: other.formats)
        types.append(contentsOf: other.types)
        if encodingError == nil { encodingError = other.encodingError }
    }

    public mutating func append<Value: PostgresEncodable>(_ value: Value) {
        types.append(Value.postgresType.rawValue)
        formats.append(Value.postgresFormat.rawValue)
        if value.isPostgresNull {
            offsets.append(-1)
            lengths.append(0)
            return
        }
        let start = bytes.count
        var buffer = PostgresEncodingBuffer(bytes: bytes)
        bytes = []  // hand the storage over without a copy
        do {
            try value.encode(into: &buffer)
        } catch {
            if encodingError == nil { encodingError = error }
        }
        bytes = buffer.bytes
        lengths.append(Int32(bytes.count - start))
        offsets.append(start)
        // Text values must be NUL-terminated for libpq; binary ones get one
        // too (ignored, lengths are explicit) so a non-NULL value never has
        // an empty buffer without a base address.
        bytes.append(0)
    }
}

/// Where `PostgresEncodable` values write their wire bytes.
public struct PostgresEncodingBuffer {
    public internal(set) var bytes: [UInt8]

    public mutating func append(_ byte: UInt8) { bytes.append(byte) }
    public mutating func append<S: Sequence>(contentsOf sequence: S) where S.Element == UInt8 {
        bytes.append(contentsOf: sequence)
    }
    public mutating func append(_ string: String) {
        var string = string
        string.withUTF8 { bytes.append(contentsOf: $0) }
    }
}
