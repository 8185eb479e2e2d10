import Foundation

/// The recurrence's lines of an .ics VEVENT (RFC 5545 §3.8.2.4, §3.8.5):
///
///     DTSTART;TZID=Asia/Shanghai:20250115T093000
///     RRULE:FREQ=MONTHLY;INTERVAL=6
///     EXDATE;TZID=Asia/Shanghai:20250715T093000
///
/// Only these three properties are read; folding, escaping and the rest of
/// the VEVENT belong to whoever writes the whole file.
extension Recurrence {
    /// The lines above, EXDATE left out when there is none.
    public var icalendarLines: [String] {
        let zone = ";TZID=\(timeZone.identifier):"
        var lines = ["DTSTART" + zone + start.basicFormat, "RRULE:" + rule.description]
        if !exceptionDates.isEmpty {
            lines.append("EXDATE" + zone + exceptionDates.map(\.basicFormat).joined(separator: ","))
        }
        return lines
    }

    /// Reads DTSTART, RRULE and EXDATE lines (several EXDATE lines are joined).
    /// DTSTART and EXDATE must be local times, with or without TZID; a TZID
    /// names the zone, which defaults to Asia/Shanghai.
    public init(icalendarLines lines: [String]) throws(RecurrenceRuleError) {
        var start: LocalDateTime?
        var rule: RecurrenceRule?
        var exceptions: [LocalDateTime] = []
        var zone: TimeZone?
        for rawLine in lines where !rawLine.trimmingCharacters(in: .whitespaces).isEmpty {
            let line = rawLine.trimmingCharacters(in: .whitespacesAndNewlines)
            guard let colon = line.firstIndex(of: ":") else {
                throw .invalidLine(line, reason: "no \":\" between the property and its value")
            }
            let head = line[..<colon].split(separator: ";").map(String.init)
            let value = String(line[line.index(after: colon)...])
            let name = head.first?.uppercased() ?? ""
            var lineZone: TimeZone?
            for parameter in head.dropFirst() {
                let pieces = parameter.split(separator: "=", maxSplits: 1).map(String.init)
                if pieces.count == 2, pieces[0].uppercased() == "TZID" {
                    guard let named = TimeZone(identifier: pieces[1]) else {
                        throw .invalidLine(line, reason: "unknown time zone \(pieces[1])")
                    }
                    lineZone = named
                } else if pieces.count == 2, pieces[0].uppercased() == "VALUE", pieces[1].uppercased() == "DATE-TIME" {
                    continue
                } else {
                    throw .invalidLine(line, reason: "parameter \(parameter) is not supported (only TZID)")
                }
            }
            if let lineZone {
                if let zone, zone.identifier != lineZone.identifier {
                    throw .invalidLine(line, reason: "DTSTART and EXDATE must use one time zone")
                }
                zone = lineZone
            }
            switch name {
            case "DTSTART":
                guard start == nil else { throw .duplicatePart("DTSTART") }
                start = try Self.localTime(value, line: line)
            case "RRULE":
                guard rule == nil else { throw .duplicatePart("RRULE") }
                rule = try RecurrenceRule(parsing: value)
            case "EXDATE":
                for item in value.split(separator: ",") {
                    exceptions.append(try Self.localTime(String(item), line: line))
                }
            default:
                throw .invalidLine(line, reason: "only DTSTART, RRULE and EXDATE are read")
            }
        }
        guard let start else { throw .invalidLine(lines.joined(separator: "\\n"), reason: "DTSTART is missing") }
        guard let rule else { throw .invalidLine(lines.joined(separator: "\\n"), reason: "RRULE is missing") }
        self.init(start: start, rule: rule, exceptionDates: exceptions, timeZone: zone ?? ChinaTime.timeZone)
    }

    private static func localTime(_ text: String, line: String) throws(RecurrenceRuleError) -> LocalDateTime {
        if text.hasSuffix("Z") {
            throw .invalidLine(line, reason: "\(text) is a UTC time; DTSTART and EXDATE are local times with TZID")
        }
        do { return try LocalDateTime(parsingBasic: text) } catch {
            throw .invalidLine(line, reason: error.description)
        }
    }
}
