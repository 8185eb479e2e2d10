import Foundation

/// Writes JSON text byte for byte as `EventJSON.encoder` would (strings
/// escaped as Foundation escapes them, slashes left alone; numbers in
/// Foundation's shortest form; dates as `RFC3339.format`), for the few hot
/// paths where `JSONEncoder`'s boxing of every value costs more than the
/// work around it (a county signal's stored state: a quarter of the
/// inspection service's CPU under load).
///
/// The caller writes an object's members in the order `.sortedKeys` gives
/// (by Unicode code point: `"Z" < "a" < "aB" < "a_b" < "ab"`) and leaves out
/// absent optionals, as synthesized `Codable` does; each type written this way
/// has a test that compares its bytes with `EventJSON.encoder`'s.
public struct JSONTextWriter: Sendable {
    public private(set) var bytes: [UInt8] = []
    /// Whether the next member or element follows another (needs a comma).
    private var needsComma = false

    public init(capacity: Int = 256) {
        bytes.reserveCapacity(capacity)
    }

    public mutating func beginObject() {
        separate()
        bytes.append(UInt8(ascii: "{"))
        needsComma = false
    }

    public mutating func endObject() {
        bytes.append(UInt8(ascii: "}"))
        needsComma = true
    }

    public mutating func beginArray() {
        separate()
        bytes.append(UInt8(ascii: "["))
        needsComma = false
    }

    public mutating func endArray() {
        bytes.append(UInt8(ascii: "]"))
        needsComma = true
    }

    /// A member's name; its value comes next.
    public mutating func key(_ name: StaticString) {
        separate()
        bytes.append(UInt8(ascii: "\""))
        name.withUTF8Buffer { bytes.append(contentsOf: $0) }
        bytes.append(contentsOf: [UInt8(ascii: "\""), UInt8(ascii: ":")])
        needsComma = false
    }

    public mutating func string(_ value: String) {
        separate()
        bytes.append(UInt8(ascii: "\""))
        var value = value
        value.withUTF8 { utf8 in
            var start = 0
            for index in 0..<utf8.count {
                let byte = utf8[index]
                guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start..<index]))
                start = index + 1
                bytes.append(UInt8(ascii: "\\"))
                switch byte {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"): bytes.append(byte)
                case 0x08: bytes.append(UInt8(ascii: "b"))
                case 0x09: bytes.append(UInt8(ascii: "t"))
                case 0x0A: bytes.append(UInt8(ascii: "n"))
                case 0x0C: bytes.append(UInt8(ascii: "f"))
                case 0x0D: bytes.append(UInt8(ascii: "r"))
                default:
                    let hex = Array("0123456789abcdef".utf8)
                    bytes.append(contentsOf: [UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"), hex[Int(byte >> 4)], hex[Int(byte & 0xF)]])
                }
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start...]))
        }
        bytes.append(UInt8(ascii: "\""))
        needsComma = true
    }

    public mutating func string<T: RawRepresentable>(_ value: T) where T.RawValue == String {
        string(value.rawValue)
    }

    /// As `UUID`'s `Codable` writes it: upper-case.
    public mutating func uuid(_ value: UUID) {
        string(value.uuidString)
    }

    public mutating func date(_ value: Date) {
        string(RFC3339.format(value))
    }

    public mutating func integer(_ value: Int) {
        separate()
        bytes.append(contentsOf: String(value).utf8)
        needsComma = true
    }

    /// Foundation's form: the shortest round-tripping digits, without a
    /// trailing `.0` (`5000`, `0.1`, `1e+21`). Not finite: refused, as
    /// `JSONEncoder` refuses it.
    public mutating func number(_ value: Double) throws {
        guard value.isFinite else { throw EncodingError.invalidValue(value, .init(codingPath: [], debugDescription: "not a finite number")) }
        separate()
        var text = value.description
        if text.hasSuffix(".0") { text.removeLast(2) }
        bytes.append(contentsOf: text.utf8)
        needsComma = true
    }

    public mutating func bool(_ value: Bool) {
        separate()
        bytes.append(contentsOf: (value ? "true" : "false").utf8)
        needsComma = true
    }

    private mutating func separate() {
        if needsComma { bytes.append(UInt8(ascii: ",")) }
    }
}
