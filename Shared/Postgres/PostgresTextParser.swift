import Foundation

/// Parsers for PostgreSQL's text output that work on bytes directly,
/// so decoding a number does not allocate a String.
enum PostgresTextParser {
    static func integer<I: FixedWidthInteger & SignedInteger>(_ bytes: ArraySlice<UInt8>, as: I.Type) throws -> I {
        var index = bytes.startIndex
        var negative = false
        if index < bytes.endIndex, bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "+") {
            negative = bytes[index] == UInt8(ascii: "-")
            index += 1
        }
        guard index < bytes.endIndex else { throw invalid(bytes, "integer") }
        var value: I = 0
        while index < bytes.endIndex {
            let digit = bytes[index] &- UInt8(ascii: "0")
            guard digit < 10 else { throw invalid(bytes, "integer") }
            // Accumulate negatively so that I.min parses too.
            let (times10, o1) = value.multipliedReportingOverflow(by: 10)
            let (next, o2) = times10.subtractingReportingOverflow(I(digit))
            guard !o1, !o2 else { throw invalid(bytes, "\(I.self) (out of range)") }
            value = next
            index += 1
        }
        if negative { return value }
        guard value != I.min else { throw invalid(bytes, "\(I.self) (out of range)") }
        return -value
    }

    /// bytea in `hex` output (`\x0a0b…`), with the legacy `escape` format as fallback.
    static func bytea(_ bytes: ArraySlice<UInt8>) throws -> Data {
        if bytes.count >= 2, bytes[bytes.startIndex] == UInt8(ascii: "\\"), bytes[bytes.startIndex + 1] == UInt8(ascii: "x") {
            let hex = bytes.dropFirst(2)
            guard hex.count % 2 == 0 else { throw invalid(bytes, "bytea") }
            var out = [UInt8](repeating: 0, count: hex.count / 2)
            var i = hex.startIndex, o = 0
            while i < hex.endIndex {
                guard let high = nibble(hex[i]), let low = nibble(hex[i + 1]) else { throw invalid(bytes, "bytea") }
                out[o] = high << 4 | low
                i += 2; o += 1
            }
            return Data(out)
        }
        var data = Data(capacity: bytes.count)
        var i = bytes.startIndex
        while i < bytes.endIndex {
            if bytes[i] == UInt8(ascii: "\\") {
                if i + 1 < bytes.endIndex, bytes[i + 1] == UInt8(ascii: "\\") { data.append(UInt8(ascii: "\\")); i += 2; continue }
                guard i + 3 < bytes.endIndex else { throw invalid(bytes, "bytea") }
                let o = bytes[(i + 1)...(i + 3)].map { $0 &- UInt8(ascii: "0") }
                guard o.allSatisfy({ $0 < 8 }) else { throw invalid(bytes, "bytea") }
                data.append(o[0] << 6 | o[1] << 3 | o[2]); i += 4
            } else {
                data.append(bytes[i]); i += 1
            }
        }
        return data
    }

    static func nibble(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return c - UInt8(ascii: "A") + 10
        default: return nil
        }
    }

    static func invalid(_ bytes: ArraySlice<UInt8>, _ what: String) -> PostgresValueError {
        PostgresValueError(reason: "not a valid \(what): \(String(decoding: bytes.prefix(64), as: UTF8.self))")
    }
}
