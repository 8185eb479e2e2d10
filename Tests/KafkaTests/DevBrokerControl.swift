import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Client of `sjctl dev-broker`'s control API (address from SJ_BROKER_CONTROL).
struct DevBrokerControl: Sendable {
    var base: String

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    func health() async throws { try await call("GET", "/health") }

    func createTopic(_ name: String, partitions: Int32) async throws {
        try await call("POST", "/topics", body: ["name": name, "partitions": Int(partitions)])
    }

    func brokerDown(_ id: Int32) async throws { try await call("POST", "/brokers/\(id)/down") }
    func brokerUp(_ id: Int32) async throws { try await call("POST", "/brokers/\(id)/up") }

    func pushErrors(apiKey: Int16, errors: [Int32]) async throws {
        try await call("POST", "/errors", body: ["apiKey": Int(apiKey), "errors": errors.map(Int.init)])
    }

    private func call(_ method: String, _ path: String, body: [String: Any]? = nil) async throws {
        guard let url = URL(string: base + path) else { throw Failure(description: "bad URL \(base + path)") }
        var request = URLRequest(url: url)
        request.httpMethod = method
        if let body {
            request.httpBody = try JSONSerialization.data(withJSONObject: body)
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        }
        let (data, response) = try await URLSession.shared.data(for: request)
        let status = (response as? HTTPURLResponse)?.statusCode ?? 0
        guard (200..<300).contains(status) else {
            throw Failure(description: "\(method) \(path): HTTP \(status) \(String(decoding: data, as: UTF8.self))")
        }
    }
}
