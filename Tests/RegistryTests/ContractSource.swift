import Foundation

/// The routes a service registers, read from its source: every
/// `router.get|post|put|patch|delete("…")` call, with the text of its handler
/// (up to the next registration) so the test can see which roles it requires,
/// whether it is an idempotent create, and the query parameters its file reads.
struct ContractRoute: Hashable, CustomStringConvertible {
    var method: String
    /// As OpenAPI writes it: `/v1/units/{id}`.
    var path: String
    var file: String
    var handler: String

    var description: String { "\(method.uppercased()) \(path) (\(file))" }

    /// Who the handler lets in, from its `require` calls, in the terms of the
    /// OpenAPI document's `x-roles` and `x-own-unit`; nil when the handler
    /// does not say in a way this test knows.
    func access(readers: [String], managers: [String]) -> (roles: Set<String>, ownUnit: Bool)? {
        if handler.contains("require(anyOf: Access.readers)") { return (Set(readers), false) }
        if handler.range(of: #"require\(unit:[^)]*orAnyOf: Access\.managers\)"#, options: .regularExpression) != nil {
            return (Set(managers), true)
        }
        if handler.contains("require(anyOf: Access.managers)") { return (Set(managers), false) }
        // PATCH /v1/people/{id}: the office or a unit token gets in, then `authorize` lets the
        // office change anything and a unit's liaison its own people's channels.
        if (handler.contains("requireAuthentication()") || handler.contains("require(anyOf: Access.managers + [.unit])"))
            && handler.contains("authorize(principal") {
            return (Set(managers), true)
        }
        return nil
    }

    var isIdempotentCreate: Bool { handler.contains("IdempotentCreate(") }
}

enum ContractSource {
    static let registration = #"router\.(get|post|put|patch|delete)\("([^"]+)"\)"#

    /// The routes registered in `files` (paths relative to the package root).
    static func routes(in files: [String]) throws -> [ContractRoute] {
        var routes: [ContractRoute] = []
        let expression = try NSRegularExpression(pattern: registration)
        for file in files {
            let text = try ContractFiles.text(file)
            let whole = NSRange(text.startIndex..., in: text)
            let matches = expression.matches(in: text, range: whole)
            for (index, match) in matches.enumerated() {
                let end = index + 1 < matches.count ? matches[index + 1].range.location : whole.upperBound
                let handler = (text as NSString).substring(with: NSRange(location: match.range.location, length: end - match.range.location))
                let method = (text as NSString).substring(with: match.range(at: 1))
                let path = (text as NSString).substring(with: match.range(at: 2))
                    .replacingOccurrences(of: #":([A-Za-z_]+)"#, with: "{$1}", options: .regularExpression)
                routes.append(ContractRoute(method: method, path: path, file: file, handler: handler))
            }
        }
        return routes
    }

    /// The query parameters a source file reads: `queryParameters.get("x")`,
    /// `query.get("x")`, and the institution search's `parse("x")`.
    static func queryParameters(in file: String) throws -> Set<String> {
        let text = try ContractFiles.text(file)
        var names: Set<String> = []
        for pattern in [#"(?:queryParameters|query)\.get\("([A-Za-z]+)"\)"#, #"\bparse\("([A-Za-z]+)""#] {
            let expression = try NSRegularExpression(pattern: pattern)
            for match in expression.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
                names.insert((text as NSString).substring(with: match.range(at: 1)))
            }
        }
        return names
    }

    /// The Swift files of a folder, relative to the package root, sorted.
    static func swiftFiles(in folder: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: ContractFiles.url(folder).path)
            .filter { $0.hasSuffix(".swift") }.sorted().map { "\(folder)/\($0)" }
    }
}

/// The OpenAPI document with the look-ups the tests need.
struct ContractOpenAPI {
    static let methods = ["get", "put", "post", "delete", "options", "head", "patch", "trace"]

    let documents: ContractDocuments
    let url: URL
    let root: [String: Any]

    init(documents: ContractDocuments) throws {
        self.documents = documents
        url = try ContractFiles.url("docs/openapi/registry.yaml")
        root = try documents.root(url)
    }

    var paths: [String: [String: Any]] {
        (root["paths"] as? [String: Any] ?? [:]).compactMapValues { $0 as? [String: Any] }
    }

    /// Every documented (method, path), methods in lower case.
    var operations: [(method: String, path: String, operation: [String: Any])] {
        paths.sorted { $0.key < $1.key }.flatMap { path, item in
            Self.methods.compactMap { method in (item[method] as? [String: Any]).map { (method, path, $0) } }
        }
    }

    func operation(_ method: String, _ path: String) -> [String: Any]? {
        paths[path]?[method.lowercased()] as? [String: Any]
    }

    /// The path item's and the operation's parameters, dereferenced.
    func parameters(_ method: String, _ path: String) throws -> [[String: Any]] {
        let shared = paths[path]?["parameters"] as? [Any] ?? []
        let own = operation(method, path)?["parameters"] as? [Any] ?? []
        return try (shared + own).map { try documents.dereference($0, in: url).node }
    }

    /// The documented response for `status`, dereferenced.
    func response(_ method: String, _ path: String, status: Int) throws -> [String: Any]? {
        guard let responses = operation(method, path)?["responses"] as? [String: Any],
              let response = responses[String(status)] ?? responses["\(status / 100)XX"] ?? responses["default"]
        else { return nil }
        return try documents.dereference(response, in: url).node
    }

    /// Problems of a live response against the document: the status is
    /// documented for the operation, the content type is one it lists, the
    /// body matches that content's schema, and response headers it checks
    /// (`Idempotent-Replayed`) are documented.
    func problems(_ method: String, _ path: String, _ response: RegistryProcess.Response) throws -> [String] {
        let name = "\(method.uppercased()) \(path) → \(response.status)"
        guard operation(method, path) != nil else { return ["\(method.uppercased()) \(path) is not documented"] }
        guard let documented = try self.response(method, path, status: response.status) else {
            return ["\(name): status \(response.status) is not documented (body: \(response.text.prefix(300)))"]
        }
        var problems: [String] = []
        if response.headers["idempotent-replayed"] != nil, (documented["headers"] as? [String: Any])?["Idempotent-Replayed"] == nil {
            problems.append("\(name): the Idempotent-Replayed header is not documented")
        }
        let content = documented["content"] as? [String: Any] ?? [:]
        let mediaType = (response.headers["content-type"] ?? "").split(separator: ";").first
            .map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
        guard let media = content[mediaType] as? [String: Any] else {
            if content.isEmpty && response.body.isEmpty { return problems }
            return problems + ["\(name): content type \(mediaType) is not documented (documented: \(content.keys.sorted()))"]
        }
        guard let schema = media["schema"] else { return problems }
        if mediaType.hasSuffix("json") {
            do {
                let body = try ContractJSON.parse(response.body)
                problems += contractCollapsed(documents.check(body, against: schema, in: url)).map { "\(name): \($0)" }
            } catch {
                problems.append("\(name): the body is not JSON: \(response.text.prefix(200))")
            }
        }
        return problems
    }

    /// Problems of a request body the test sends against the documented request body.
    func requestProblems(_ method: String, _ path: String, body: Any) throws -> [String] {
        guard let requestBody = operation(method, path)?["requestBody"] else {
            return ["\(method.uppercased()) \(path) documents no request body"]
        }
        let (resolved, document) = try documents.dereference(requestBody, in: url)
        guard let schema = ((resolved["content"] as? [String: Any])?["application/json"] as? [String: Any])?["schema"] else {
            return ["\(method.uppercased()) \(path) documents no application/json request body"]
        }
        return contractCollapsed(documents.check(try ContractJSON.from(body), against: schema, in: document))
            .map { "\(method.uppercased()) \(path) request: \($0)" }
    }

    /// `components/schemas/<name>`'s enum, as strings.
    func enumeration(_ name: String) -> [String]? {
        (((root["components"] as? [String: Any])?["schemas"] as? [String: Any])?[name] as? [String: Any])?["enum"]
            .flatMap { $0 as? [Any] }?.map { "\($0)" }
    }
}
