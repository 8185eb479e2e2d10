import EventFlow
import Foundation
import Kafka

/// One record of a dead-letter topic `<topic>.<group>.dlq` (DESIGN.md §3): the
/// original record (key, value, headers) plus the `dlq-*` headers the
/// consumer that gave up on it added.
struct DeadLetter {
    let message: KafkaMessage

    init(_ message: KafkaMessage) { self.message = message }

    /// A header's value as UTF-8 text (nil when absent, valueless or not UTF-8).
    func text(_ header: String) -> String? {
        message.header(header)?.value.flatMap { String(validating: $0, as: UTF8.self) }
    }

    var originalTopic: String? { text(DeadLetterHeader.originalTopic).flatMap { $0.isEmpty ? nil : $0 } }
    var originalPartition: Int32? { text(DeadLetterHeader.originalPartition).flatMap { Int32($0) } }
    var originalOffset: Int64? { text(DeadLetterHeader.originalOffset).flatMap { Int64($0) } }
    var consumerGroup: String? { text(DeadLetterHeader.consumerGroup) }
    var error: String? { text(DeadLetterHeader.error) }
    var attempts: Int? { text(DeadLetterHeader.attempts).flatMap { Int($0) } }
    var ceType: String? { text("ce_type") }
    var ceId: String? { text("ce_id") }

    /// The headers of the original record: all but the `dlq-*` ones, in order.
    var originalHeaders: [KafkaHeader] {
        message.headers.filter { !DeadLetterHeader.isDeadLetterHeader($0.key) }
    }

    /// `partition:offset` in the dead-letter topic.
    var position: String { "\(message.partition):\(message.offset)" }
}

/// Bytes as text for people: UTF-8 when it is, else a size.
enum Preview {
    /// The first `limit` characters of UTF-8 bytes on one line (control
    /// characters escaped), `<null>` for none, `<N bytes, not UTF-8>` otherwise.
    static func of(_ bytes: [UInt8]?, limit: Int = 80) -> String {
        guard let bytes else { return "<null>" }
        guard let text = String(validating: bytes, as: UTF8.self) else { return "<\(bytes.count) bytes, not UTF-8>" }
        if text.isEmpty { return "<empty>" }
        var line = ""
        for character in text {
            if line.count >= limit {
                line += "… (\(bytes.count) bytes)"
                break
            }
            switch character {
            case "\n": line += "\\n"
            case "\r": line += "\\r"
            case "\t": line += "\\t"
            default: line.append(character)
            }
        }
        return line
    }
}

/// The `--json` form of a dead letter: one object per line, with the whole
/// value and every header. Bytes that are not UTF-8 are base64 (the
/// `*_encoding` fields say which).
struct DeadLetterJSON: Encodable {
    struct Header: Encodable {
        var key: String
        var value: String?
        var encoding: String?

        init(_ header: KafkaHeader) {
            key = header.key
            (value, encoding) = encoded(header.value)
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(key, forKey: .key)
            try container.encode(value, forKey: .value)
            try container.encode(encoding, forKey: .encoding)
        }

        enum CodingKeys: String, CodingKey { case key, value, encoding }
    }

    var dlqTopic: String
    var dlqPartition: Int32
    var dlqOffset: Int64
    var timestampMs: Int64?
    var originalTopic: String?
    var originalPartition: Int32?
    var originalOffset: Int64?
    var consumerGroup: String?
    var error: String?
    var attempts: Int?
    var ceType: String?
    var ceId: String?
    var key: String?
    var keyEncoding: String?
    var value: String?
    var valueEncoding: String?
    var headers: [Header]

    init(_ letter: DeadLetter) {
        let message = letter.message
        dlqTopic = message.topic
        dlqPartition = message.partition
        dlqOffset = message.offset
        timestampMs = message.timestamp
        originalTopic = letter.originalTopic
        originalPartition = letter.originalPartition
        originalOffset = letter.originalOffset
        consumerGroup = letter.consumerGroup
        error = letter.error
        attempts = letter.attempts
        ceType = letter.ceType
        ceId = letter.ceId
        (key, keyEncoding) = encoded(message.key)
        (value, valueEncoding) = encoded(message.value)
        headers = message.headers.map(Header.init)
    }

    enum CodingKeys: String, CodingKey {
        case dlqTopic = "dlq_topic", dlqPartition = "dlq_partition", dlqOffset = "dlq_offset"
        case timestampMs = "timestamp_ms"
        case originalTopic = "original_topic", originalPartition = "original_partition"
        case originalOffset = "original_offset", consumerGroup = "consumer_group"
        case error, attempts
        case ceType = "ce_type", ceId = "ce_id"
        case key, keyEncoding = "key_encoding", value, valueEncoding = "value_encoding", headers
    }

    /// Every field is written, absent ones as null, so each line has the same keys.
    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(dlqTopic, forKey: .dlqTopic)
        try container.encode(dlqPartition, forKey: .dlqPartition)
        try container.encode(dlqOffset, forKey: .dlqOffset)
        try container.encode(timestampMs, forKey: .timestampMs)
        try container.encode(originalTopic, forKey: .originalTopic)
        try container.encode(originalPartition, forKey: .originalPartition)
        try container.encode(originalOffset, forKey: .originalOffset)
        try container.encode(consumerGroup, forKey: .consumerGroup)
        try container.encode(error, forKey: .error)
        try container.encode(attempts, forKey: .attempts)
        try container.encode(ceType, forKey: .ceType)
        try container.encode(ceId, forKey: .ceId)
        try container.encode(key, forKey: .key)
        try container.encode(keyEncoding, forKey: .keyEncoding)
        try container.encode(value, forKey: .value)
        try container.encode(valueEncoding, forKey: .valueEncoding)
        try container.encode(headers, forKey: .headers)
    }

    static func line(_ letter: DeadLetter) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(DeadLetterJSON(letter)), as: UTF8.self)
    }
}

/// (text, "utf8") or (base64, "base64"); (nil, nil) for no bytes.
private func encoded(_ bytes: [UInt8]?) -> (String?, String?) {
    guard let bytes else { return (nil, nil) }
    if let text = String(validating: bytes, as: UTF8.self) { return (text, "utf8") }
    return (Data(bytes).base64EncodedString(), "base64")
}
