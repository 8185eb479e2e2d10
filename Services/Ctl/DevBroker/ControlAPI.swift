import Hummingbird
import Kafka

/// The dev broker's control HTTP API (tests and developers drive the mock
/// cluster through it: topics, broker outages, error injection).
enum ControlAPI {
    struct TopicRequest: Decodable {
        var name: String
        var partitions: Int32
    }

    struct ErrorsRequest: Decodable {
        var apiKey: Int16
        var errors: [Int32]
    }

    static func router(cluster: KafkaMockCluster) -> Router<BasicRequestContext> {
        let router = Router()
        router.get("health") { _, _ in HTTPResponse.Status.ok }
        router.post("topics") { request, context -> HTTPResponse.Status in
            let body = try await request.decode(as: TopicRequest.self, context: context)
            guard !body.name.isEmpty, body.partitions > 0 else { throw HTTPError(.badRequest) }
            try mapped { try cluster.createTopic(body.name, partitions: body.partitions) }
            return .created
        }
        router.post("brokers/:id/down") { _, context -> HTTPResponse.Status in
            let id = try context.parameters.require("id", as: Int32.self)
            try mapped { try cluster.setBrokerDown(id) }
            return .ok
        }
        router.post("brokers/:id/up") { _, context -> HTTPResponse.Status in
            let id = try context.parameters.require("id", as: Int32.self)
            try mapped { try cluster.setBrokerUp(id) }
            return .ok
        }
        router.post("errors") { request, context -> HTTPResponse.Status in
            let body = try await request.decode(as: ErrorsRequest.self, context: context)
            cluster.pushRequestErrors(apiKey: body.apiKey, errors: body.errors)
            return .ok
        }
        return router
    }

    /// Mock cluster errors become 400s with librdkafka's message.
    private static func mapped(_ body: () throws -> Void) throws {
        do { try body() } catch let error as KafkaError {
            throw HTTPError(.badRequest, message: error.description)
        }
    }
}
