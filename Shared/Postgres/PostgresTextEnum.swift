/// A string-backed enum kept in a text column: bound as its raw value, and
/// read back strictly — a value the enum does not know is an error naming
/// it, never a silent default.
///
/// ```swift
/// enum DeliveryState: String, PostgresTextEnum { case pending, sent }
/// let state = try row.decode(0, as: DeliveryState.self)
/// ```
public protocol PostgresTextEnum: RawRepresentable, PostgresEncodable, PostgresDecodable where RawValue == String {}

extension PostgresTextEnum {
    public static var postgresType: PostgresType { .text }

    public func encode(into buffer: inout PostgresEncodingBuffer) { buffer.append(rawValue) }

    public init(postgresText bytes: ArraySlice<UInt8>, type: PostgresType) throws {
        let text = String(decoding: bytes, as: UTF8.self)
        guard let value = Self(rawValue: text) else {
            throw PostgresValueError(reason: "\(text) is not a \(Self.self)")
        }
        self = value
    }
}
