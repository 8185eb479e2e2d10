import Foundation

/// What every service's contract test checks of its routes against its
/// OpenAPI document, once for all services: every route registered in the
/// source is documented and every documented operation exists; who may call
/// it (`x-roles`, `x-own-unit`, `x-person`) is what the handler requires;
/// `Idempotency-Key` is documented exactly where the handler is an
/// idempotent create; path and query parameters are the ones the code reads.
/// Each problem is a sentence naming the route; none means the document is true.
package struct ContractServiceAPI {
    /// e.g. `Services/Registry/API`.
    package var apiFolder: String
    /// The patterns whose first capture is a query parameter the code reads.
    package var queryPatterns: [String] = [ContractSource.queryGet]

    package init(apiFolder: String, queryPatterns: [String] = [ContractSource.queryGet]) {
        self.apiFolder = apiFolder
        self.queryPatterns = queryPatterns
    }

    /// The service's own routes, and those ServiceKit adds to every service.
    package func routes() throws -> [ContractRoute] {
        try ContractSource.routes(in: ContractSource.swiftFiles(in: apiFolder) + ContractSource.sharedRouteFiles)
    }

    package func problems(against openapi: ContractOpenAPI) throws -> [String] {
        let routes = try routes()
        var problems = Self.coverage(routes, openapi)
        let lists = try ContractSource.roleLists(in: apiFolder + "/Access.swift")
        for route in routes {
            guard let operation = openapi.operation(route.method, route.path) else { continue }  // coverage said so
            problems += try Self.access(route, operation, lists, openapi)
            problems += try Self.parameters(route, openapi)
        }
        problems += try queryParameters(openapi)
        problems += try Self.stateChecks(openapi)
        return problems
    }

    /// `x-state-checks` names only fields the operation has (a parameter or a
    /// member of its JSON body), each with the rule it is checked against.
    static func stateChecks(_ openapi: ContractOpenAPI) throws -> [String] {
        var problems: [String] = []
        for (method, path, operation) in openapi.operations {
            guard let checks = operation["x-state-checks"] else { continue }
            guard let rules = checks as? [String: Any], !rules.isEmpty else {
                problems.append("\(method.uppercased()) \(path): x-state-checks must map fields to rules")
                continue
            }
            var fields = Set(try openapi.parameters(method, path).compactMap { $0["name"] as? String })
            if let requestBody = operation["requestBody"] {
                let (resolved, document) = try openapi.documents.dereference(requestBody, in: openapi.url)
                if let schema = ((resolved["content"] as? [String: Any])?["application/json"] as? [String: Any])?["schema"] {
                    let body = try openapi.documents.dereference(schema, in: document).node
                    fields.formUnion((body["properties"] as? [String: Any] ?? [:]).keys)
                }
            }
            for (field, rule) in rules.sorted(by: { $0.key < $1.key }) {
                if !fields.contains(field) { problems.append("\(method.uppercased()) \(path): x-state-checks names \(field), which it does not have") }
                if (rule as? String)?.isEmpty ?? true { problems.append("\(method.uppercased()) \(path): x-state-checks \(field) states no rule") }
            }
        }
        return problems
    }

    /// Registered ⇔ documented; the health and metrics routes are documented.
    static func coverage(_ routes: [ContractRoute], _ openapi: ContractOpenAPI) -> [String] {
        let file = openapi.url.lastPathComponent
        let inSource = Set(routes.map { "\($0.method.lowercased()) \($0.path)" })
        let documented = Set(openapi.operations.map { "\($0.method) \($0.path)" })
        return inSource.subtracting(documented).sorted().map { "registered in the source but not in \(file): \($0)" }
            + documented.subtracting(inSource).sorted().map { "documented in \(file) but registered nowhere: \($0)" }
            + ["get /health/live", "get /health/ready", "get /metrics"].filter { !documented.contains($0) }
                .map { "\($0) is not documented in \(file)" }
    }

    /// `x-roles`, `x-own-unit`, `x-person` and `security` against the handler.
    static func access(
        _ route: ContractRoute, _ operation: [String: Any], _ lists: [String: Set<String>], _ openapi: ContractOpenAPI
    ) throws -> [String] {
        let security = operation["security"] as? [Any]
        guard route.path.hasPrefix("/v1/") else {
            return security?.isEmpty == true ? [] : ["\(route) needs no token: document `security: []`"]
        }
        guard let access = route.access(lists: lists) else {
            return ["\(route): cannot tell from its handler which roles it allows; teach ContractRoute.access"]
        }
        var problems: [String] = []
        let roles = Set((operation["x-roles"] as? [Any] ?? []).map { "\($0)" })
        let ownUnit = operation["x-own-unit"] as? Bool ?? false
        let person = operation["x-person"] as? Bool ?? false
        if roles != access.roles {
            problems.append("\(route): x-roles \(roles.sorted()) but the handler allows \(access.roles.sorted())")
        }
        if ownUnit != access.ownUnit { problems.append("\(route): x-own-unit \(ownUnit) but the handler says \(access.ownUnit)") }
        if person != access.person { problems.append("\(route): x-person \(person) but the handler says \(access.person)") }
        if security != nil { problems.append("\(route) must not override the bearer security requirement") }
        if access.person, try openapi.response(route.method, route.path, status: 403) == nil {
            problems.append("\(route): document the 403 for a token that is not a person's")
        }
        return problems
    }

    /// `Idempotency-Key` where the handler is an idempotent create (and
    /// `Idempotent-Replayed` on its 201); path parameters are the path's.
    static func parameters(_ route: ContractRoute, _ openapi: ContractOpenAPI) throws -> [String] {
        var problems: [String] = []
        let parameters = try openapi.parameters(route.method, route.path)
        let hasKey = parameters.contains { $0["name"] as? String == "Idempotency-Key" && $0["in"] as? String == "header" }
        if hasKey != route.isIdempotentCreate {
            problems.append("\(route): Idempotency-Key documented \(hasKey), handler uses IdempotentCreate \(route.isIdempotentCreate)")
        }
        if route.isIdempotentCreate {
            let created = try openapi.response(route.method, route.path, status: 201)
            if (created?["headers"] as? [String: Any])?["Idempotent-Replayed"] == nil {
                problems.append("\(route): its 201 response must document Idempotent-Replayed")
            }
        }
        let placeholders = Set(route.path.matches(of: /\{([A-Za-z]+)\}/).map { String($0.1) })
        let pathParameters = Set(parameters.filter { $0["in"] as? String == "path" }.compactMap { $0["name"] as? String })
        if placeholders != pathParameters {
            problems.append("\(route): path parameters \(pathParameters.sorted()) for \(placeholders.sorted())")
        }
        return problems
    }

    /// What each route file reads is what its operations document.
    func queryParameters(_ openapi: ContractOpenAPI) throws -> [String] {
        var problems: [String] = []
        for file in try ContractSource.swiftFiles(in: apiFolder) + [ContractSource.auditRouteFile] {
            let read = try ContractSource.queryParameters(in: file, patterns: queryPatterns)
            var documented: Set<String> = []
            for route in try ContractSource.routes(in: [file]) {
                for parameter in try openapi.parameters(route.method, route.path) where parameter["in"] as? String == "query" {
                    if let name = parameter["name"] as? String { documented.insert(name) }
                }
            }
            if read != documented {
                problems.append("\(file): reads query parameters \(read.sorted()), documents \(documented.sorted())")
            }
        }
        return problems
    }
}

extension ContractRoute {
    /// Whether the handler is an idempotent create (ServiceKit's IdempotentCreate).
    package var isIdempotentCreate: Bool { handler.contains("IdempotentCreate(") }
}
