import CRdKafka
import Logging
import Synchronization

/// State librdkafka's C callbacks reach through the instance opaque
/// (`rd_kafka_opaque`): C function pointers cannot capture Swift context.
final class ClientContext: Sendable {
    let logger: Logger
    /// Producers only: where delivery reports go.
    let deliveries: DeliveryTracker?
    /// The last error librdkafka reported for a broker connection (e.g.
    /// "ssl://host:9093/bootstrap: SSL handshake failed: ..."), so a timeout
    /// can say why no broker answered.
    let lastBrokerError = Mutex<String?>(nil)

    init(logger: Logger, deliveries: DeliveryTracker? = nil) {
        self.logger = logger
        self.deliveries = deliveries
    }

    /// " (last broker error: …)" when there was one, else "".
    var lastBrokerErrorSuffix: String {
        lastBrokerError.withLock { $0 }.map { " (last broker error: \($0))" } ?? ""
    }

    static func from(_ opaque: UnsafeMutableRawPointer?) -> ClientContext? {
        opaque.map { Unmanaged<ClientContext>.fromOpaque($0).takeUnretainedValue() }
    }
}

/// Owns one `rd_kafka_t` and keeps its callback context alive as long as the
/// handle. librdkafka handles are thread-safe, hence `@unchecked Sendable`.
/// `deinit` destroys the handle; owners make sure the last reference is
/// dropped off the cooperative pool when destroy may block (close paths).
final class RDClient: @unchecked Sendable {
    let handle: OpaquePointer
    let context: ClientContext

    init(type: rd_kafka_type_t, properties: [(String, String)], context: ClientContext) throws {
        let config = RDConfig()
        try config.set(properties)
        guard let conf = config.pointer else { preconditionFailure() }
        rd_kafka_conf_set_opaque(conf, Unmanaged.passUnretained(context).toOpaque())
        // Route librdkafka's logs and errors to swift-log instead of stderr.
        rd_kafka_conf_set_log_cb(conf) { rk, level, facility, message in
            guard let rk, let context = ClientContext.from(rd_kafka_opaque(rk)) else { return }
            let text = "\(facility.map { String(cString: $0) } ?? "-"): \(message.map { String(cString: $0) } ?? "")"
            context.logger.log(level: RDClient.logLevel(syslog: level), "\(text)")
        }
        rd_kafka_conf_set_error_cb(conf) { rk, err, reason, opaque in
            guard let context = ClientContext.from(opaque) else { return }
            let error = rk.map { KafkaError.resolving(rd_kafka_resp_err_t(rawValue: err), client: $0) }
                ?? KafkaError(code: err)
            let reasonText = reason.map { String(cString: $0) } ?? ""
            context.lastBrokerError.withLock { $0 = "\(error.name): \(reasonText)" }
            // Transient errors (broker down, transport) are normal; librdkafka recovers.
            context.logger.log(
                level: error.isFatal ? .error : .notice, "kafka: \(error.name): \(reasonText)")
        }
        if let deliveries = context.deliveries {
            deliveries.installCallback(on: conf)
        }
        var errstr = [CChar](repeating: 0, count: 512)
        let handle = config.handOver { rd_kafka_new(type, $0, &errstr, errstr.count) }
        guard let handle else {
            throw KafkaError.local(RD_KAFKA_RESP_ERR__INVALID_ARG, cString(errstr))
        }
        self.handle = handle
        self.context = context
    }

    deinit {
        rd_kafka_destroy(handle)
    }

    static func logLevel(syslog level: Int32) -> Logger.Level {
        switch level {
        case ...3: .error
        case 4: .warning
        case 5: .notice
        case 6: .info
        default: .debug
        }
    }
}
