import CRdKafka
import Logging

/// librdkafka's in-process mock cluster (dev broker, tests). Owns the
/// `rd_kafka_mock_cluster_t` and the `rd_kafka_t` it runs on; the cluster is
/// destroyed first (librdkafka requires it). Mock API calls are short
/// round-trips to the mock's own thread.
public final class KafkaMockCluster: Sendable {
    private let client: RDClient
    /// Thread-safe per librdkafka (calls are ops posted to the mock thread).
    nonisolated(unsafe) private let cluster: OpaquePointer

    public init(brokers: Int = 1, logger: Logger = Logger(label: "kafka.mock")) throws {
        client = try RDClient(type: RD_KAFKA_PRODUCER, properties: [("log_level", "3")], context: ClientContext(logger: logger))
        guard let cluster = rd_kafka_mock_cluster_new(client.handle, Int32(brokers)) else {
            throw KafkaError.local(RD_KAFKA_RESP_ERR__FAIL, "could not create the mock cluster (see logs)")
        }
        self.cluster = cluster
    }

    deinit {
        rd_kafka_mock_cluster_destroy(cluster)
        // `client` (rd_kafka_t) is released after this body.
    }

    /// "127.0.0.1:port,..." — the brokers' real (ephemeral) listener addresses.
    public var bootstrapServers: String {
        String(cString: rd_kafka_mock_cluster_bootstraps(cluster))
    }

    public func createTopic(_ name: String, partitions: Int32) throws {
        let err = rd_kafka_mock_topic_create(cluster, name, partitions, 1)
        guard err == RD_KAFKA_RESP_ERR_NO_ERROR else { throw KafkaError(err, message: "create topic \(name)") }
    }

    public func setBrokerDown(_ id: Int32) throws {
        let err = rd_kafka_mock_broker_set_down(cluster, id)
        guard err == RD_KAFKA_RESP_ERR_NO_ERROR else { throw KafkaError(err, message: "broker \(id) down") }
    }

    public func setBrokerUp(_ id: Int32) throws {
        let err = rd_kafka_mock_broker_set_up(cluster, id)
        guard err == RD_KAFKA_RESP_ERR_NO_ERROR else { throw KafkaError(err, message: "broker \(id) up") }
    }

    /// The next requests with `apiKey` (any broker) fail with `errors`, in order.
    public func pushRequestErrors(apiKey: Int16, errors: [Int32]) {
        let codes = errors.map { rd_kafka_resp_err_t(rawValue: $0) }
        codes.withUnsafeBufferPointer { buffer in
            rd_kafka_mock_push_request_errors_array(cluster, apiKey, buffer.count, buffer.baseAddress)
        }
    }
}
