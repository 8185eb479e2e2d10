import CRdKafka

/// An error from librdkafka (or from this layer, with a librdkafka code where one fits).
///
/// `isFatal`: the client instance is unusable (idempotence broken, fenced,
/// authorization); the service should stop or recreate the client.
/// `isRetriable`: the same operation may succeed if tried again later.
public struct KafkaError: Error, CustomStringConvertible, Sendable {
    public var code: Int32
    public var name: String
    public var message: String
    public var isFatal: Bool
    public var isRetriable: Bool

    public init(code: Int32, name: String, message: String, isFatal: Bool, isRetriable: Bool) {
        self.code = code
        self.name = name
        self.message = message
        self.isFatal = isFatal
        self.isRetriable = isRetriable
    }

    /// From a response error code, classified by `Self.classify` (used when
    /// librdkafka hands us a bare `rd_kafka_resp_err_t` without an `rd_kafka_error_t`).
    public init(code: Int32, message: String? = nil) {
        let err = rd_kafka_resp_err_t(rawValue: code)
        let (fatal, retriable) = Self.classify(code: code)
        self.init(
            code: code, name: String(cString: rd_kafka_err2name(err)),
            message: message ?? String(cString: rd_kafka_err2str(err)),
            isFatal: fatal, isRetriable: retriable)
    }

    init(_ err: rd_kafka_resp_err_t, message: String? = nil) {
        self.init(code: err.rawValue, message: message)
    }

    /// Reads an `rd_kafka_error_t` and destroys it (we own it once a call returned it).
    static func consuming(_ error: OpaquePointer) -> KafkaError {
        defer { rd_kafka_error_destroy(error) }
        return KafkaError(
            code: rd_kafka_error_code(error).rawValue,
            name: String(cString: rd_kafka_error_name(error)),
            message: String(cString: rd_kafka_error_string(error)),
            isFatal: rd_kafka_error_is_fatal(error) != 0,
            isRetriable: rd_kafka_error_is_retriable(error) != 0)
    }

    /// When `err` is `__FATAL`, the underlying fatal error of the client `rk`;
    /// otherwise the classified `err`.
    static func resolving(_ err: rd_kafka_resp_err_t, client rk: OpaquePointer) -> KafkaError {
        if err == RD_KAFKA_RESP_ERR__FATAL, let fatal = fatalError(of: rk) { return fatal }
        return KafkaError(err)
    }

    /// The client's fatal error, if it raised one (`rd_kafka_fatal_error`).
    static func fatalError(of rk: OpaquePointer) -> KafkaError? {
        var buffer = [CChar](repeating: 0, count: 512)
        let code = rd_kafka_fatal_error(rk, &buffer, buffer.count)
        guard code != RD_KAFKA_RESP_ERR_NO_ERROR else { return nil }
        var error = KafkaError(code, message: cString(buffer))
        error.isFatal = true
        error.isRetriable = false
        return error
    }

    /// An error of this layer, with a librdkafka code that describes it best.
    static func local(_ err: rd_kafka_resp_err_t, _ message: String) -> KafkaError {
        KafkaError(err, message: message)
    }

    /// Classification of a bare response code. librdkafka marks fatality only
    /// on `rd_kafka_error_t`/`__FATAL`; for bare codes we use the Kafka
    /// protocol's own retriable set and treat authorization/fencing as fatal.
    public static func classify(code: Int32) -> (isFatal: Bool, isRetriable: Bool) {
        let err = rd_kafka_resp_err_t(rawValue: code)
        if fatalCodes.contains(err.rawValue) { return (true, false) }
        return (false, retriableCodes.contains(err.rawValue))
    }

    private static let fatalCodes: Set<Int32> = [
        RD_KAFKA_RESP_ERR__FATAL, RD_KAFKA_RESP_ERR__FENCED, RD_KAFKA_RESP_ERR__AUTHENTICATION,
        RD_KAFKA_RESP_ERR__SSL, RD_KAFKA_RESP_ERR__INCONSISTENT,
        RD_KAFKA_RESP_ERR_PRODUCER_FENCED, RD_KAFKA_RESP_ERR_INVALID_PRODUCER_EPOCH,
        RD_KAFKA_RESP_ERR_OUT_OF_ORDER_SEQUENCE_NUMBER, RD_KAFKA_RESP_ERR_UNKNOWN_PRODUCER_ID,
        RD_KAFKA_RESP_ERR_TOPIC_AUTHORIZATION_FAILED, RD_KAFKA_RESP_ERR_GROUP_AUTHORIZATION_FAILED,
        RD_KAFKA_RESP_ERR_CLUSTER_AUTHORIZATION_FAILED,
        RD_KAFKA_RESP_ERR_TRANSACTIONAL_ID_AUTHORIZATION_FAILED,
        RD_KAFKA_RESP_ERR_SASL_AUTHENTICATION_FAILED, RD_KAFKA_RESP_ERR_FENCED_INSTANCE_ID,
    ].map(\.rawValue).reduce(into: []) { $0.insert($1) }

    private static let retriableCodes: Set<Int32> = [
        RD_KAFKA_RESP_ERR__TRANSPORT, RD_KAFKA_RESP_ERR__TIMED_OUT, RD_KAFKA_RESP_ERR__MSG_TIMED_OUT,
        RD_KAFKA_RESP_ERR__QUEUE_FULL, RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN,
        RD_KAFKA_RESP_ERR__RESOLVE, RD_KAFKA_RESP_ERR__WAIT_COORD, RD_KAFKA_RESP_ERR__TIMED_OUT_QUEUE,
        RD_KAFKA_RESP_ERR__UNKNOWN_PARTITION,
        RD_KAFKA_RESP_ERR_LEADER_NOT_AVAILABLE, RD_KAFKA_RESP_ERR_NOT_LEADER_FOR_PARTITION,
        RD_KAFKA_RESP_ERR_REQUEST_TIMED_OUT, RD_KAFKA_RESP_ERR_NETWORK_EXCEPTION,
        RD_KAFKA_RESP_ERR_COORDINATOR_LOAD_IN_PROGRESS, RD_KAFKA_RESP_ERR_COORDINATOR_NOT_AVAILABLE,
        RD_KAFKA_RESP_ERR_NOT_COORDINATOR, RD_KAFKA_RESP_ERR_NOT_ENOUGH_REPLICAS,
        RD_KAFKA_RESP_ERR_NOT_ENOUGH_REPLICAS_AFTER_APPEND, RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART,
        RD_KAFKA_RESP_ERR_KAFKA_STORAGE_ERROR, RD_KAFKA_RESP_ERR_REBALANCE_IN_PROGRESS,
        RD_KAFKA_RESP_ERR_UNSTABLE_OFFSET_COMMIT, RD_KAFKA_RESP_ERR_FETCH_SESSION_ID_NOT_FOUND,
        RD_KAFKA_RESP_ERR_OFFSET_NOT_AVAILABLE, RD_KAFKA_RESP_ERR_THROTTLING_QUOTA_EXCEEDED,
    ].map(\.rawValue).reduce(into: []) { $0.insert($1) }

    public var description: String {
        "KafkaError(\(name) [\(code)]\(isFatal ? ", fatal" : "")\(isRetriable ? ", retriable" : ""): \(message))"
    }
}
