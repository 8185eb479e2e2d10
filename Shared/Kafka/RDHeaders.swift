import CRdKafka

/// Owns an `rd_kafka_headers_t` until a successful produce hands it to
/// librdkafka (`release()`); otherwise `deinit` destroys it.
final class RDHeaders {
    private(set) var pointer: OpaquePointer?

    /// nil for no headers — decided before allocating, since a failable class
    /// init would allocate the object even to return nil (once per message).
    static func make(_ headers: [KafkaHeader]) -> RDHeaders? {
        headers.isEmpty ? nil : RDHeaders(headers)
    }

    private init(_ headers: [KafkaHeader]) {
        let pointer = rd_kafka_headers_new(headers.count)!
        for header in headers {
            if let value = header.value {
                value.withUnsafeBytes { bytes in
                    _ = rd_kafka_header_add(pointer, header.key, -1, bytes.baseAddress, bytes.count)
                }
            } else {
                _ = rd_kafka_header_add(pointer, header.key, -1, nil, 0)
            }
        }
        self.pointer = pointer
    }

    /// librdkafka now owns the headers.
    func release() { pointer = nil }

    deinit {
        if let pointer { rd_kafka_headers_destroy(pointer) }
    }

    /// Copies the headers of a consumed message (which the message owns).
    static func read(from message: UnsafeMutablePointer<rd_kafka_message_t>) -> [KafkaHeader] {
        var headers: OpaquePointer?
        guard rd_kafka_message_headers(message, &headers) == RD_KAFKA_RESP_ERR_NO_ERROR,
            let headers
        else { return [] }
        var result: [KafkaHeader] = []
        result.reserveCapacity(rd_kafka_header_cnt(headers))
        var index = 0
        var name: UnsafePointer<CChar>?
        var value: UnsafeRawPointer?
        var size = 0
        while rd_kafka_header_get_all(headers, index, &name, &value, &size) == RD_KAFKA_RESP_ERR_NO_ERROR {
            let key = name.map { String(cString: $0) } ?? ""
            let bytes = value.map { Array(UnsafeRawBufferPointer(start: $0, count: size)) }
            result.append(KafkaHeader(key: key, value: bytes))
            index += 1
        }
        return result
    }
}
