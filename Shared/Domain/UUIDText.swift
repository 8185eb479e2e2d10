import Foundation

extension UUID {
    /// The canonical lower-case text form (8-4-4-4-12 hex digits), as ids
    /// appear in events, keys and URLs. The same as
    /// `uuidString.lowercased()`, without the `snprintf` and the second
    /// string that costs: several are made per alert.
    public var lowercasedString: String {
        let digits: StaticString = "0123456789abcdef"
        return withUnsafeBytes(of: uuid) { raw in
            String(unsafeUninitializedCapacity: 36) { out in
                digits.withUTF8Buffer { hex in
                    var position = 0
                    for (index, byte) in raw.enumerated() {
                        if index == 4 || index == 6 || index == 8 || index == 10 {
                            out[position] = UInt8(ascii: "-")
                            position += 1
                        }
                        out[position] = hex[Int(byte >> 4)]
                        out[position + 1] = hex[Int(byte & 0x0f)]
                        position += 2
                    }
                    return position
                }
            }
        }
    }
}
