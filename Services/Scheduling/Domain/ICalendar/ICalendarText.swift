import Domain
import Foundation

/// The lexical rules of RFC 5545 §3.1 and §3.3.11, in one place.
enum ICalendarText {
    /// A TEXT value escaped (§3.3.11): backslash, semicolon, comma and line breaks.
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        var previousWasCR = false
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": out += "\\\\"
            case ";": out += "\\;"
            case ",": out += "\\,"
            case "\r": out += "\\n"
            case "\n": if !previousWasCR { out += "\\n" }
            default:
                // Other control characters are not allowed in a content line (§3.1: CONTROL).
                if scalar.value < 0x20 && scalar != "\t" || scalar.value == 0x7F { break }
                out.unicodeScalars.append(scalar)
            }
            previousWasCR = scalar == "\r"
        }
        return out
    }

    /// A parameter value (§3.2): quoted when it holds `:`, `;` or `,`; a
    /// double quote cannot be written inside one, so it becomes ' (RFC 6868 is
    /// not assumed of every client); control characters dropped.
    static func parameter(_ value: String) -> String {
        let cleaned = String(String.UnicodeScalarView(value.unicodeScalars.compactMap { scalar -> Unicode.Scalar? in
            if scalar == "\"" { return "'" }
            if scalar.value < 0x20 || scalar.value == 0x7F { return nil }
            return scalar
        }))
        return cleaned.contains(where: { ":;,".contains($0) }) || cleaned.isEmpty ? "\"\(cleaned)\"" : cleaned
    }

    /// One content line folded (§3.1): no line longer than 75 octets
    /// excluding the CRLF, continuation lines begin with one space, and a
    /// fold never splits a UTF-8 sequence (a Chinese character is 3 octets).
    static func fold(_ line: String) -> String {
        var result = ""
        var octets = 0
        var limit = 75
        for character in line.unicodeScalars {
            let size = String(character).utf8.count
            if octets + size > limit {
                result += "\r\n "
                octets = 0
                limit = 74   // the leading space counts
            }
            result.unicodeScalars.append(character)
            octets += size
        }
        return result + "\r\n"
    }

    /// A UTC DATE-TIME (§3.3.5 form #2), e.g. 20261130T083000Z.
    static func utc(_ date: Date) -> String {
        let seconds = Int(date.timeIntervalSince1970.rounded(.down))
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let secondOfDay = seconds - days * 86_400
        let civil = CivilDays.civil(fromDays: days)
        return String(format: "%04d%02d%02dT%02d%02d%02dZ", civil.year, civil.month, civil.day,
                      secondOfDay / 3600, secondOfDay % 3600 / 60, secondOfDay % 60)
    }
}
