/// A database password given apart from `SJ_DATABASE_URL` (from
/// `SJ_DATABASE_PASSWORD_FILE`, a mounted secret) joined to it the way libpq
/// reads it back exactly: percent-encoded in a URI's user information, or
/// quoted in a `key=value` connection string. So a password with `@`, `:`,
/// `/`, `%`, `'` or spaces works.
enum DatabaseURL {
    struct Problem: Error, CustomStringConvertible {
        var description: String
    }

    /// `url` with `password` added; throws when `url` already carries a
    /// password or has no user to attach it to.
    static func adding(password: String, to url: String) throws(Problem) -> String {
        if let uri = URIParts(url) {
            guard let user = uri.userInfo, !user.isEmpty else {
                throw Problem(description: "SJ_DATABASE_URL names no user (postgresql://USER@host/db) for the password of SJ_DATABASE_PASSWORD_FILE")
            }
            guard !user.contains(":") else {
                throw Problem(description: "SJ_DATABASE_URL already contains a password: remove it, or unset SJ_DATABASE_PASSWORD_FILE")
            }
            return uri.scheme + user + ":" + percentEncoded(password) + "@" + uri.rest
        }
        guard !keywordNames(url).contains("password") else {
            throw Problem(description: "SJ_DATABASE_URL already contains a password: remove it, or unset SJ_DATABASE_PASSWORD_FILE")
        }
        return url + " password=" + quoted(password)
    }

    /// `url` with any password replaced by `****`, for logs and descriptions.
    static func redacted(_ url: String) -> String {
        if let uri = URIParts(url) {
            guard let user = uri.userInfo, let colon = user.firstIndex(of: ":") else { return url }
            return uri.scheme + String(user[..<colon]) + ":****@" + uri.rest
        }
        guard let range = url.range(of: "password=") else { return url }
        return String(url[..<range.upperBound]) + "****"
    }

    /// Every byte but RFC 3986's unreserved characters as %XX; libpq decodes
    /// percent-encoding in every part of a URI.
    static func percentEncoded(_ text: String) -> String {
        var result = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
                UInt8(ascii: "~"):
                result.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                result += "%" + String(byte, radix: 16, uppercase: true).leftPadded(to: 2)
            }
        }
        return result
    }

    /// A libpq `key=value` value in single quotes, `\` and `'` escaped.
    static func quoted(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "\\'") + "'"
    }

    /// The keys of a `key=value` connection string (good enough to find one:
    /// values with `=` inside quotes do not start a key).
    private static func keywordNames(_ conninfo: String) -> [String] {
        conninfo.split(separator: " ").compactMap { part in
            part.firstIndex(of: "=").map { String(part[..<$0]).lowercased() }
        }
    }
}

/// `postgresql://[userinfo@]rest` split at the user information.
private struct URIParts {
    var scheme: String
    var userInfo: String?
    /// Host, port, path and query: everything after `@` (or after the scheme).
    var rest: String

    init?(_ url: String) {
        guard let scheme = ["postgresql://", "postgres://"].first(where: { url.hasPrefix($0) }) else { return nil }
        self.scheme = scheme
        let afterScheme = url.dropFirst(scheme.count)
        // The authority ends at the path or the query; its last `@` ends the user information.
        let authorityEnd = afterScheme.firstIndex { $0 == "/" || $0 == "?" } ?? afterScheme.endIndex
        if let at = afterScheme[..<authorityEnd].lastIndex(of: "@") {
            userInfo = String(afterScheme[..<at])
            rest = String(afterScheme[afterScheme.index(after: at)...])
        } else {
            userInfo = nil
            rest = String(afterScheme)
        }
    }
}

extension String {
    fileprivate func leftPadded(to length: Int) -> String {
        count >= length ? self : String(repeating: "0", count: length - count) + self
    }
}
