import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// sjctl's own client of a running dev broker's control API (ControlAPI.swift).
/// The mock cluster has no CreateTopics request, so tools that need topics with
/// a given partition count on the local broker create them here.
struct DevBrokerClient {
    var base: URL

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    func createTopic(_ name: String, partitions: Int32) async throws {
        var request = URLRequest(url: base.appendingPathComponent("topics"))
        request.httpMethod = "POST"
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.httpBody = try JSONSerialization.data(withJSONObject: ["name": name, "partitions": Int(partitions)])
        let (data, response) = try await URLSession.shared.data(for: request)
        let status = (response as? HTTPURLResponse)?.statusCode ?? 0
        guard (200..<300).contains(status) else {
            throw Failure(description: "POST /topics \(name): HTTP \(status) \(String(decoding: data, as: UTF8.self))")
        }
    }
}
