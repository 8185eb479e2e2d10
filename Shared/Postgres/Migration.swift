import Crypto
import Foundation

/// One numbered SQL file, e.g. `001_init.sql` → version 1, name "001_init.sql".
public struct Migration: Sendable, Equatable {
    public var version: Int
    public var name: String
    public var sql: String

    public init(version: Int, name: String, sql: String) {
        self.version = version
        self.name = name
        self.sql = sql
    }

    /// SHA-256 hex of the file's text, recorded when applied; a later change is refused.
    public var checksum: String { SHA256.hash(data: Data(sql.utf8)).map { String(format: "%02x", $0) }.joined() }

    /// Every `*.sql` file in `directory`, sorted by version. Other files are ignored.
    public static func load(from directory: URL) throws -> [Migration] {
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        var migrations: [Migration] = []
        for file in files where file.hasSuffix(".sql") {
            guard let version = version(of: file) else { throw MigrationError.invalidFileName(file) }
            let sql = try String(contentsOf: directory.appendingPathComponent(file), encoding: .utf8)
            migrations.append(Migration(version: version, name: file, sql: sql))
        }
        return try sorted(migrations)
    }

    /// Sorted by version; a version used twice is an error.
    static func sorted(_ migrations: [Migration]) throws -> [Migration] {
        let sorted = migrations.sorted { $0.version < $1.version }
        for (a, b) in zip(sorted, sorted.dropFirst()) where a.version == b.version {
            throw MigrationError.duplicateVersion(a.version)
        }
        return sorted
    }

    /// `<digits>_<name>.sql`, name made of letters, digits, `_`, `-` or `.`.
    private static func version(of file: String) -> Int? {
        let stem = file.dropLast(4)
        guard let underscore = stem.firstIndex(of: "_") else { return nil }
        let digits = stem[..<underscore], rest = stem[stem.index(after: underscore)...]
        guard !digits.isEmpty, digits.allSatisfy(\.isASCII), digits.allSatisfy(\.isNumber), !rest.isEmpty,
              rest.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" || $0 == "." })
        else { return nil }
        return Int(digits)
    }
}

public enum MigrationError: Error, CustomStringConvertible, Equatable {
    case checksumMismatch(version: Int, name: String)
    case invalidFileName(String)
    case duplicateVersion(Int)

    public var description: String {
        switch self {
        case .checksumMismatch(let version, let name):
            "migration \(name) (version \(version)) was changed after it was applied; add a new migration instead"
        case .invalidFileName(let file):
            "migration file name \"\(file)\" is not of the form 001_description.sql"
        case .duplicateVersion(let version):
            "two migration files share version \(version)"
        }
    }
}
