/// CSV that Excel opens as it is, for the county's statistics tables: UTF-8
/// with a byte-order mark (without it Excel reads Chinese as mojibake), CRLF
/// line ends, fields quoted as RFC 4180 asks, and guarded against formulas.
public enum ExcelCSV {
    public static let byteOrderMark = "\u{FEFF}"

    /// The whole document: the headings, then one line per row.
    public static func document(headings: [String], rows: [[String]]) -> String {
        let lines = ([headings] + rows).map { $0.map(field).joined(separator: ",") }
        return byteOrderMark + lines.joined(separator: "\r\n") + "\r\n"
    }

    /// Quoted when it holds a comma, a quote or a line break; a leading
    /// `=`, `+`, `-` or `@` is prefixed with `'` so Excel does not run it as a formula.
    public static func field(_ text: String) -> String {
        var text = text
        if let first = text.first, "=+-@".contains(first), Double(text) == nil { text = "'" + text }
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
