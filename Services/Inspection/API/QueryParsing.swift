import EventFlow
import Foundation
import Hummingbird
import ServiceKit

/// Query parameters read the same way on every list: each bad one named, a 400.
struct QueryParsing {
    let request: Request
    var validation = Validation()

    init(_ request: Request) { self.request = request }

    mutating func parse<T>(_ name: String, _ make: (String) -> T?) -> T? {
        guard let raw = request.uri.queryParameters.get(name) else { return nil }
        guard let value = make(raw) else { validation.add(name, "has an invalid value \(raw)"); return nil }
        return value
    }

    /// `page`: 1 to 1,000,000 (default 1).
    static func pageNumber(_ raw: String) -> Int? { Int(raw).flatMap { (1...1_000_000).contains($0) ? $0 : nil } }
    /// `pageSize`: 1 to 200 (default 50).
    static func pageSize(_ raw: String) -> Int? { Int(raw).flatMap { (1...200).contains($0) ? $0 : nil } }

    mutating func date(_ name: String) -> Date? { parse(name) { RFC3339.parseExactly($0) } }

    /// A text matched exactly: at most `maxLength` code points, no NUL; empty means no filter.
    static func exact(maxLength: Int) -> (String) -> String?? {
        { raw in
            guard raw.unicodeScalars.count <= maxLength, !raw.unicodeScalars.contains("\u{0}") else { return nil }
            return .some(raw.isEmpty ? nil : raw)
        }
    }

    func finish() throws { try validation.throwIfInvalid(status: .badRequest) }
}
