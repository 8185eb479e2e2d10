import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The routes a service registers, read from its source: every
/// `router.get|post|put|patch|delete("…")` call, with the text of its handler
/// (up to the next registration) so a test can see which roles it requires
/// and what else the handler does. Each test target reads `handler` in its
/// own terms (an `access` extension).
package struct ContractRoute: Hashable, CustomStringConvertible {
    package var method: String
    /// As OpenAPI writes it: `/v1/units/{id}`.
    package var path: String
    package var file: String
    package var handler: String

    package init(method: String, path: String, file: String, handler: String) {
        self.method = method
        self.path = path
        self.file = file
        self.handler = handler
    }

    package var description: String { "\(method.uppercased()) \(path) (\(file))" }
}

package enum ContractSource {
    package static let registration = #"router\.(get|post|put|patch|delete)\("([^"]+)"\)"#

    /// `queryParameters.get("x")`, `query.get("x")`.
    package static let queryGet = #"(?:queryParameters|query)\.get\("([A-Za-z]+)"\)"#

    /// The ServiceKit file that adds `GET /v1/audit` to every service.
    package static let auditRouteFile = "Shared/ServiceKit/AuditRoutes.swift"

    /// The ServiceKit files whose routes every service has: /health/*,
    /// /metrics (ServiceRouter) and /v1/audit (AuditRoutes).
    package static let sharedRouteFiles = ["Shared/ServiceKit/ServiceRouter.swift", auditRouteFile]

    /// The routes registered in `files` (paths relative to the package root).
    package static func routes(in files: [String]) throws -> [ContractRoute] {
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

    /// The query parameters a source file reads: the first capture of each
    /// of `patterns` (each test target says which calls read its parameters).
    package static func queryParameters(in file: String, patterns: [String]) throws -> Set<String> {
        let text = try ContractFiles.text(file)
        var names: Set<String> = []
        for pattern in patterns {
            let expression = try NSRegularExpression(pattern: pattern)
            for match in expression.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
                names.insert((text as NSString).substring(with: match.range(at: 1)))
            }
        }
        return names
    }

    /// Every string literal in `files` that matches `pattern` (whole literal).
    package static func literals(matching pattern: String, in files: [String]) throws -> Set<String> {
        let expression = try NSRegularExpression(pattern: "\"(\(pattern))\"")
        var found: Set<String> = []
        for file in files {
            let text = try ContractFiles.text(file)
            for match in expression.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
                found.insert((text as NSString).substring(with: match.range(at: 1)))
            }
        }
        return found
    }

    /// The Swift files of a folder, relative to the package root, sorted.
    package static func swiftFiles(in folder: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: ContractFiles.url(folder).path)
            .filter { $0.hasSuffix(".swift") }.sorted().map { "\(folder)/\($0)" }
    }

    /// Every Swift file under `folder`, recursively, relative to the package root.
    package static func allSwiftFiles(under folder: String) throws -> [String] {
        let base = try ContractFiles.url(folder)
        guard let enumerator = FileManager.default.enumerator(atPath: base.path) else { return [] }
        return enumerator.compactMap { $0 as? String }.filter { $0.hasSuffix(".swift") }.sorted().map { "\(folder)/\($0)" }
    }
}

/// An HTTP response with its headers (names in lower case).
package struct ContractResponse: Sendable {
    package var status: Int
    package var headers: [String: String]
    package var body: Data

    package init(status: Int, headers: [String: String], body: Data) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    package var text: String { String(decoding: body, as: UTF8.self) }
    package var json: [String: Any] { (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] ?? [:] }
    package var items: [[String: Any]] { json["items"] as? [[String: Any]] ?? [] }

    package static func send(port: Int, _ method: String, _ path: String, token: String?, json: Any? = nil) async throws -> ContractResponse {
        var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)\(path)")!)
        request.httpMethod = method
        if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        if let json {
            request.httpBody = try JSONSerialization.data(withJSONObject: json)
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        }
        return try await send(request)
    }

    /// A raw body (an upload's bytes), with any extra headers (`Idempotency-Key`).
    package static func send(
        port: Int, _ method: String, _ path: String, token: String?, body: Data, headers: [String: String] = [:]
    ) async throws -> ContractResponse {
        var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)\(path)")!)
        request.httpMethod = method
        if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        request.setValue("application/octet-stream", forHTTPHeaderField: "Content-Type")
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        request.httpBody = body
        return try await send(request)
    }

    private static func send(_ request: URLRequest) async throws -> ContractResponse {
        let (data, response) = try await URLSession.shared.data(for: request)
        let http = response as? HTTPURLResponse
        var headers: [String: String] = [:]
        for (name, value) in http?.allHeaderFields ?? [:] { headers["\(name)".lowercased()] = "\(value)" }
        return ContractResponse(status: http?.statusCode ?? 0, headers: headers, body: data)
    }
}

/// An OpenAPI document (docs/openapi/<service>.yaml) with the look-ups the tests need.
package struct ContractOpenAPI {
    package static let methods = ["get", "put", "post", "delete", "options", "head", "patch", "trace"]

    package let documents: ContractDocuments
    package let url: URL
    package let root: [String: Any]
    /// Response headers that, when a response carries them, the document must
    /// declare for that response (registry: `Idempotent-Replayed`).
    package let checkedHeaders: [String]

    package init(documents: ContractDocuments, file: String, checkedHeaders: [String] = []) throws {
        self.documents = documents
        url = try ContractFiles.url(file)
        root = try documents.root(url)
        self.checkedHeaders = checkedHeaders
    }

    package var paths: [String: [String: Any]] {
        (root["paths"] as? [String: Any] ?? [:]).compactMapValues { $0 as? [String: Any] }
    }

    /// Every documented (method, path), methods in lower case.
    package var operations: [(method: String, path: String, operation: [String: Any])] {
        paths.sorted { $0.key < $1.key }.flatMap { path, item in
            Self.methods.compactMap { method in (item[method] as? [String: Any]).map { (method, path, $0) } }
        }
    }

    package func operation(_ method: String, _ path: String) -> [String: Any]? {
        paths[path]?[method.lowercased()] as? [String: Any]
    }

    /// The path item's and the operation's parameters, dereferenced.
    package func parameters(_ method: String, _ path: String) throws -> [[String: Any]] {
        let shared = paths[path]?["parameters"] as? [Any] ?? []
        let own = operation(method, path)?["parameters"] as? [Any] ?? []
        return try (shared + own).map { try documents.dereference($0, in: url).node }
    }

    /// The documented response for `status`, dereferenced.
    package func response(_ method: String, _ path: String, status: Int) throws -> [String: Any]? {
        guard let responses = operation(method, path)?["responses"] as? [String: Any],
              let response = responses[String(status)] ?? responses["\(status / 100)XX"] ?? responses["default"]
        else { return nil }
        return try documents.dereference(response, in: url).node
    }

    /// Problems of a live response against the document: the status is
    /// documented for the operation, the content type is one it lists, the
    /// body matches that content's schema, and the `checkedHeaders` it
    /// carries are documented.
    package func problems(_ method: String, _ path: String, _ response: ContractResponse) throws -> [String] {
        let name = "\(method.uppercased()) \(path) → \(response.status)"
        guard operation(method, path) != nil else { return ["\(method.uppercased()) \(path) is not documented"] }
        guard let documented = try self.response(method, path, status: response.status) else {
            return ["\(name): status \(response.status) is not documented (body: \(response.text.prefix(300)))"]
        }
        var problems: [String] = []
        for header in checkedHeaders
        where response.headers[header.lowercased()] != nil && (documented["headers"] as? [String: Any])?[header] == nil {
            problems.append("\(name): the \(header) header is not documented")
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
    package func requestProblems(_ method: String, _ path: String, body: Any) throws -> [String] {
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
    package func enumeration(_ name: String) -> [String]? {
        (((root["components"] as? [String: Any])?["schemas"] as? [String: Any])?[name] as? [String: Any])?["enum"]
            .flatMap { $0 as? [Any] }?.map { "\($0)" }
    }

    /// Problems of `value` (an encoded model) against `components/schemas/<name>`.
    package func problems(of value: ContractJSON, asSchema name: String) -> [String] {
        contractCollapsed(documents.check(value, against: ["$ref": "#/components/schemas/\(name)"], in: url)).map { "\(name): \($0)" }
    }
}
