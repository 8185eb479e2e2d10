import Foundation

/// Loading the per-year holiday files (`Holidays/YYYY.json`) that ship as a
/// resource of the Domain module.
extension WorkingDayCalendar {
    /// The calendar of the bundled holiday files, loaded once on first use.
    ///
    /// The files are checked by the unit tests (`CalendarDataTests`), so a
    /// failure here means a broken build or install (the resource bundle is
    /// missing or edited), and stopping loudly is safer than computing due dates
    /// without holidays.
    public static let china: WorkingDayCalendar = {
        do {
            return try bundled()
        } catch {
            fatalError("Shuangjian Domain: cannot load the bundled working-day calendar: \(error)")
        }
    }()

    /// Loads the bundled holiday files, reporting a fault as an error instead
    /// of stopping (for a health check or a CLI).
    public static func bundled() throws(HolidayDataError) -> WorkingDayCalendar {
        guard let directory = Bundle.module.url(forResource: "Holidays", withExtension: nil) else {
            throw .resourcesMissing
        }
        return try WorkingDayCalendar(contentsOf: directory)
    }

    /// Loads every `YYYY.json` file of `directory` (other files, such as the
    /// README, are ignored).
    public init(contentsOf directory: URL) throws(HolidayDataError) {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        } catch {
            throw .unreadable(file: directory.path, reason: String(describing: error))
        }
        var years: [HolidayYear] = []
        for name in names.sorted() where Self.isYearFileName(name) {
            let year = try Self.decodeYear(at: directory.appendingPathComponent(name))
            guard name == "\(year.year).json" else { throw .fileNameMismatch(file: name, year: year.year) }
            years.append(year)
        }
        try self.init(years: years)
    }

    /// Decodes one year file.
    public static func decodeYear(at url: URL) throws(HolidayDataError) -> HolidayYear {
        do {
            return try JSONDecoder().decode(HolidayYear.self, from: try Data(contentsOf: url))
        } catch {
            throw .unreadable(file: url.lastPathComponent, reason: String(describing: error))
        }
    }

    /// Decodes one year file's contents.
    public static func decodeYear(from data: Data) throws(HolidayDataError) -> HolidayYear {
        do {
            return try JSONDecoder().decode(HolidayYear.self, from: data)
        } catch {
            throw .unreadable(file: "(data)", reason: String(describing: error))
        }
    }

    /// "2027.json": four digits and the extension.
    static func isYearFileName(_ name: String) -> Bool {
        name.hasSuffix(".json") && name.dropLast(5).count == 4 && name.dropLast(5).allSatisfy(\.isASCII)
            && name.dropLast(5).allSatisfy(\.isNumber)
    }
}
