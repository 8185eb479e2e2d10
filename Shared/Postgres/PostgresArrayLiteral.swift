/// text[] ⇄ [String] through PostgreSQL's array literal syntax
/// (`{plain,"with, comma","with \"quote\"",NULL}`). Elements are always
/// written quoted, so commas, quotes, backslashes, "" and the string "NULL"
/// stay data. One-dimensional arrays only.
enum PostgresArrayLiteral {
    static func format(_ elements: [String], into buffer: inout PostgresEncodingBuffer) {
        buffer.append(UInt8(ascii: "{"))
        for (i, element) in elements.enumerated() {
            if i > 0 { buffer.append(UInt8(ascii: ",")) }
            buffer.append(UInt8(ascii: "\""))
            for byte in element.utf8 {
                if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") { buffer.append(UInt8(ascii: "\\")) }
                buffer.append(byte)
            }
            buffer.append(UInt8(ascii: "\""))
        }
        buffer.append(UInt8(ascii: "}"))
    }

    static func parse(_ bytes: ArraySlice<UInt8>) throws -> [String] {
        var i = bytes.startIndex
        let end = bytes.endIndex
        func fail(_ why: String) -> PostgresValueError {
            PostgresValueError(reason: "bad array literal (\(why)): \(String(decoding: bytes.prefix(80), as: UTF8.self))")
        }
        // Optional dimension decoration: "[0:2]={...}".
        if i < end, bytes[i] == UInt8(ascii: "[") {
            guard let eq = bytes[i...].firstIndex(of: UInt8(ascii: "=")) else { throw fail("dimensions") }
            i = eq + 1
        }
        guard i < end, bytes[i] == UInt8(ascii: "{") else { throw fail("no {") }
        i += 1
        var result: [String] = []
        func isSpace(_ c: UInt8) -> Bool { c == 32 || (c >= 9 && c <= 13) }
        while i < end, isSpace(bytes[i]) { i += 1 }
        if i < end, bytes[i] == UInt8(ascii: "}") { return result }
        while true {
            while i < end, isSpace(bytes[i]) { i += 1 }
            guard i < end else { throw fail("unterminated") }
            var element: [UInt8] = []
            if bytes[i] == UInt8(ascii: "{") { throw fail("multi-dimensional arrays are not supported") }
            if bytes[i] == UInt8(ascii: "\"") {
                i += 1
                while true {
                    guard i < end else { throw fail("unterminated quote") }
                    let c = bytes[i]
                    if c == UInt8(ascii: "\"") { i += 1; break }
                    if c == UInt8(ascii: "\\") { i += 1; guard i < end else { throw fail("dangling \\") } }
                    element.append(bytes[i]); i += 1
                }
            } else {
                var escaped = false
                while i < end, bytes[i] != UInt8(ascii: ","), bytes[i] != UInt8(ascii: "}") {
                    if bytes[i] == UInt8(ascii: "\\") { i += 1; escaped = true; guard i < end else { throw fail("dangling \\") } }
                    element.append(bytes[i]); i += 1
                }
                while let last = element.last, isSpace(last) { element.removeLast() }
                if !escaped, element.count == 4, String(decoding: element, as: UTF8.self).uppercased() == "NULL" {
                    throw fail("NULL element cannot be decoded as String")
                }
            }
            result.append(String(decoding: element, as: UTF8.self))
            while i < end, isSpace(bytes[i]) { i += 1 }
            guard i < end else { throw fail("unterminated") }
            if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
            if bytes[i] == UInt8(ascii: "}") { return result }
            throw fail("unexpected character")
        }
    }
}
