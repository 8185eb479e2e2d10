import CRdKafka

/// Owns an `rd_kafka_conf_t` until `rd_kafka_new` takes it over (on success
/// only: on failure the conf is still ours, so `deinit` frees it).
final class RDConfig {
    private(set) var pointer: OpaquePointer?

    init() {
        pointer = rd_kafka_conf_new()
    }

    deinit {
        if let pointer { rd_kafka_conf_destroy(pointer) }
    }

    func set(_ key: String, _ value: String) throws {
        guard let pointer else { preconditionFailure("configuration already handed over") }
        var errstr = [CChar](repeating: 0, count: 512)
        let result = rd_kafka_conf_set(pointer, key, value, &errstr, errstr.count)
        guard result == RD_KAFKA_CONF_OK else {
            throw KafkaError.local(
                RD_KAFKA_RESP_ERR__INVALID_ARG, "config \(key)=\(value): \(cString(errstr))")
        }
    }

    func set(_ pairs: [(String, String)]) throws {
        for (key, value) in pairs { try set(key, value) }
    }

    /// Calls `body` with the conf; if it returns non-nil the conf was consumed.
    func handOver<T>(_ body: (OpaquePointer) -> T?) -> T? {
        guard let pointer else { preconditionFailure("configuration already handed over") }
        let result = body(pointer)
        if result != nil { self.pointer = nil }
        return result
    }
}

/// A NUL-terminated C string in a fixed buffer (librdkafka's errstr out-parameters).
func cString(_ buffer: [CChar]) -> String {
    buffer.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
}
