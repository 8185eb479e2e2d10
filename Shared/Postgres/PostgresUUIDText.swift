import Foundation

/// The text form of a uuid, written and read by hand: Foundation's
/// `uuidString` goes through `snprintf` and `UUID(uuidString:)` through
/// `sscanf`, which showed in profiles of the notification service (three
/// uuids or more per alert, in and out of every row).
enum PostgresUUIDText {
    private static let digits = Array("0123456789abcdef".utf8)

    /// The canonical form PostgreSQL prints: 8-4-4-4-12 lower-case hex digits.
    static func format(_ uuid: UUID, into buffer: inout PostgresEncodingBuffer) {
        withUnsafeBytes(of: uuid.uuid) { raw in
            for (index, byte) in raw.enumerated() {
                if index == 4 || index == 6 || index == 8 || index == 10 { buffer.append(UInt8(ascii: "-")) }
                buffer.append(digits[Int(byte >> 4)])
                buffer.append(digits[Int(byte & 0x0f)])
            }
        }
    }

    /// The canonical form in either case; nil for anything else (PostgreSQL
    /// always answers with the canonical lower-case form).
    static func parse(_ text: ArraySlice<UInt8>) -> UUID? {
        guard text.count == 36 else { return nil }
        var bytes: uuid_t = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        let valid = withUnsafeMutableBytes(of: &bytes) { out -> Bool in
            var position = text.startIndex
            for index in 0..<16 {
                if index == 4 || index == 6 || index == 8 || index == 10 {
                    guard text[position] == UInt8(ascii: "-") else { return false }
                    position += 1
                }
                guard let high = nibble(text[position]), let low = nibble(text[position + 1]) else { return false }
                out[index] = high << 4 | low
                position += 2
            }
            return true
        }
        return valid ? UUID(uuid: bytes) : nil
    }

    private static func nibble(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
