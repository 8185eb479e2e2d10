import Foundation

/// Secrets from files, the Docker and Kubernetes convention: a secret
/// `NAME` may instead be given as `NAME_FILE`, the path of a file holding
/// it (a mounted Docker secret or Kubernetes Secret volume). Setting both is
/// an error naming both, so two sources never silently disagree.
extension EnvironmentReader {
    /// The secret's value from `name` or from the file `name`_FILE names
    /// (trailing line breaks removed: files usually end with one); nil when
    /// neither is set or after recording a problem.
    public mutating func secret(_ name: String) -> String? {
        let fileVariable = name + "_FILE"
        let direct = environment[name]
        let path = environment[fileVariable]
        switch (direct, path) {
        case (nil, nil):
            return nil
        case (.some, .some):
            problem("\(name) and \(fileVariable) are both set: set one of them")
            return nil
        case (let value?, nil):
            if value.isEmpty {
                problem("\(name) is set but empty")
                return nil
            }
            return value
        case (nil, let path?):
            let trimmedPath = path.trimmingCharacters(in: .whitespaces)
            guard !trimmedPath.isEmpty else {
                problem("\(fileVariable) is set but empty")
                return nil
            }
            guard let data = FileManager.default.contents(atPath: trimmedPath) else {
                problem("\(fileVariable)=\(trimmedPath) is not a readable file")
                return nil
            }
            guard let text = String(data: data, encoding: .utf8) else {
                problem("\(fileVariable)=\(trimmedPath) is not UTF-8 text")
                return nil
            }
            let value = Self.withoutTrailingLineBreaks(text)
            if value.isEmpty {
                problem("\(fileVariable)=\(trimmedPath) is empty")
                return nil
            }
            return value
        }
    }

    /// Whether `name` or `name`_FILE is set.
    public func isSecretSet(_ name: String) -> Bool {
        environment[name] != nil || environment[name + "_FILE"] != nil
    }

    static func withoutTrailingLineBreaks(_ text: String) -> String {
        var result = Substring(text)
        while let last = result.last, last == "\n" || last == "\r" || last == "\r\n" { result = result.dropLast() }
        return String(result)
    }

    /// Required, and never echoed: a problem names the variable and the
    /// length, not the value.
    mutating func jwtSecret(_ name: String) -> JWTSecret {
        guard isSecretSet(name) else {
            problem(
                "\(name) is missing: set it (or \(name)_FILE) to a random string of at least \(JWTSecret.minimumLength) bytes "
                    + "(e.g. `openssl rand -hex 32`)")
            return JWTSecret.placeholder
        }
        guard let raw = secret(name) else { return JWTSecret.placeholder }
        do {
            return try JWTSecret(raw)
        } catch {
            problem("\(name) is invalid: \(error)")
            return JWTSecret.placeholder
        }
    }
}
