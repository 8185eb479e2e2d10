import Foundation

/// The date of a solar term (节气), needed for 清明节, the one statutory
/// holiday fixed by the sun rather than by the Gregorian or the lunar calendar.
///
/// Foundation has no solar terms, so this finds the instant the sun's apparent
/// ecliptic longitude reaches the term's angle (清明: 15°) with the low-accuracy
/// solar theory of Meeus, *Astronomical Algorithms* ch. 25 (about 0.01°, i.e.
/// a quarter of an hour), and takes its date in China Standard Time. A term
/// within minutes of midnight could land on the wrong day; this is only used
/// for provisional years, which the official notice replaces.
enum SolarTerms {
    /// 清明: apparent solar longitude 15°.
    static let qingmingLongitude = 15.0

    /// The China Standard Time date of 清明 in `year`.
    static func qingming(in year: Int) -> LocalDate {
        date(whenSunReaches: qingmingLongitude, near: (try? LocalDate(year: year, month: 4, day: 5))!)
    }

    /// The CST date on which the apparent solar longitude reaches `longitude`
    /// degrees, searching from `guess` (within a few weeks of it).
    static func date(whenSunReaches longitude: Double, near guess: LocalDate) -> LocalDate {
        var julianDay = Double(guess.daysSinceEpoch) + unixEpochJulianDay   // 00:00 UT of the guess, as TT
        for _ in 0..<20 {
            var delta = longitude - apparentSolarLongitude(julianEphemerisDay: julianDay)
            delta = (delta + 540).truncatingRemainder(dividingBy: 360) - 180  // to (-180, 180]
            julianDay += delta * tropicalYearDays / 360
            if abs(delta) < 1e-7 { break }
        }
        let universalTime = julianDay - deltaT(year: Double(guess.year)) / 86_400
        let chinaStandardTime = universalTime + 8.0 / 24
        return LocalDate(daysSinceEpoch: Int((chinaStandardTime - unixEpochJulianDay).rounded(.down)))
    }

    /// Apparent geocentric longitude of the sun in degrees (Meeus 25.2–25.8).
    static func apparentSolarLongitude(julianEphemerisDay: Double) -> Double {
        let t = (julianEphemerisDay - 2_451_545.0) / 36_525            // Julian centuries from J2000.0
        let meanLongitude = 280.46646 + 36_000.76983 * t + 0.000_3032 * t * t
        let meanAnomaly = radians(357.52911 + 35_999.05029 * t - 0.000_1537 * t * t)
        let center = (1.914602 - 0.004817 * t - 0.000014 * t * t) * sin(meanAnomaly)
            + (0.019993 - 0.000101 * t) * sin(2 * meanAnomaly)
            + 0.000289 * sin(3 * meanAnomaly)
        let node = radians(125.04 - 1934.136 * t)
        let apparent = meanLongitude + center - 0.00569 - 0.00478 * sin(node)
        let normalized = apparent.truncatingRemainder(dividingBy: 360)
        return normalized < 0 ? normalized + 360 : normalized
    }

    /// TT − UT in seconds (Espenak & Meeus polynomial for 2005–2050; about a
    /// minute, so its error hardly matters at this accuracy).
    static func deltaT(year: Double) -> Double {
        let t = year - 2000
        return 62.92 + 0.32217 * t + 0.005589 * t * t
    }

    static let unixEpochJulianDay = 2_440_587.5
    static let tropicalYearDays = 365.2422

    private static func radians(_ degrees: Double) -> Double { degrees * .pi / 180 }
}
