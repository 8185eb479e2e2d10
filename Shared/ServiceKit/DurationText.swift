/// Durations as people type them: `8h`, `30m`, `90s`, `2d`, or sequences
/// such as `1h30m` (sjctl's `--ttl`).
public enum DurationText {
    /// Between 1 s and 366 days; nil for anything else.
    public static func parse(_ text: String) -> Duration? {
        var total: Int64 = 0
        var number = ""
        var sawUnit = false
        for character in text {
            if let digit = character.wholeNumberValue, character.isASCII {
                guard number.count < 9 else { return nil }
                number.append(Character(String(digit)))
                continue
            }
            let unit: Int64? =
                switch character {
                case "s": 1
                case "m": 60
                case "h": 3600
                case "d": 86_400
                default: nil
                }
            guard let unit, let value = Int64(number) else { return nil }
            total += value * unit
            guard total <= 366 * 86_400 else { return nil }
            number = ""
            sawUnit = true
        }
        guard sawUnit, number.isEmpty, total > 0, total <= 366 * 86_400 else { return nil }
        return .seconds(total)
    }
}
