import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Hummingbird
import Logging
import ServiceLifecycle
import Synchronization
import TestSupport
@testable import ServiceKit

/// Runs a router on a real HTTP server on an ephemeral port in this process,
/// for as long as `body` runs. Real HTTP (not Hummingbird's router test
/// framework) so headers, status and content types are what a client sees,
/// and no extra dependencies are built.
enum TestServer {
    static let secret = try! JWTSecret("test-secret-test-secret-test-secret-0001")

    static func run<T: Sendable>(
        _ router: Router<ServiceRequestContext>, logs: LogCapture? = nil,
        _ body: @Sendable (TestClient) async throws -> T
    ) async throws -> T {
        let logger = logs.map { $0.logger() }
        return try await LocalHTTPServer.run(router, logger: logger) { port in
            try await body(TestClient(base: URL(string: "http://127.0.0.1:\(port)")!))
        }
    }

    static func token(_ role: Principal.Role, unit: String? = nil) throws -> String {
        try TokenSigner(secret: secret).sign(Principal(subject: "tester", role: role, unitId: unit), ttl: .seconds(600))
    }
}

struct TestClient: Sendable {
    let base: URL

    struct Reply: Sendable {
        var status: Int
        var headers: [String: String]
        var body: Data
        var text: String { String(decoding: body, as: UTF8.self) }
        func header(_ name: String) -> String? {
            headers.first { $0.key.caseInsensitiveCompare(name) == .orderedSame }?.value
        }
        func json() throws -> [String: Any] {
            try JSONSerialization.jsonObject(with: body) as? [String: Any] ?? [:]
        }
    }

    func get(_ path: String, headers: [String: String] = [:]) async throws -> Reply {
        try await send("GET", path, headers: headers)
    }

    func send(_ method: String, _ path: String, headers: [String: String] = [:], body: String? = nil) async throws -> Reply {
        try await Self.fetch(URL(string: base.absoluteString + path)!, method: method, headers: headers, body: body)
    }

    static func fetch(
        _ url: URL, method: String = "GET", headers: [String: String] = [:], body: String? = nil
    ) async throws -> Reply {
        var request = URLRequest(url: url)
        request.httpMethod = method
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        if let body {
            request.httpBody = Data(body.utf8)
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        }
        let (data, response) = try await URLSession.shared.data(for: request)
        let http = response as! HTTPURLResponse
        var fields: [String: String] = [:]
        for (name, value) in http.allHeaderFields { fields["\(name)"] = "\(value)" }
        return Reply(status: http.statusCode, headers: fields, body: data)
    }
}
