import Foundation
import Kafka

/// The Kafka protocol binding of CloudEvents (binary mode out; binary and
/// structured mode in), as DESIGN.md §3 fixes it.
public enum CloudEventHeader {
    public static let specVersion = "ce_specversion"
    public static let id = "ce_id"
    public static let source = "ce_source"
    public static let type = "ce_type"
    public static let subject = "ce_subject"
    public static let time = "ce_time"
    public static let contentType = "content-type"
    public static let prefix = "ce_"
}

/// Why a record is not a usable CloudEvent. Such a record goes to the
/// dead-letter topic at once: retrying cannot fix it.
public struct InvalidEventError: Error, CustomStringConvertible, Sendable {
    public var reason: String
    public init(_ reason: String) { self.reason = reason }
    public var description: String { reason }
}

extension CloudEvent {
    /// Binary content mode: `data` is the value, attributes are `ce_` headers.
    /// `ce_datacontenttype` is never sent: `content-type` carries it.
    public func kafkaRecord(topic: String, key: String) -> KafkaRecord {
        var headers: [KafkaHeader] = [
            KafkaHeader(key: CloudEventHeader.specVersion, value: CloudEvent.specVersion),
            KafkaHeader(key: CloudEventHeader.id, value: id),
            KafkaHeader(key: CloudEventHeader.source, value: source),
            KafkaHeader(key: CloudEventHeader.type, value: type),
        ]
        if let subject { headers.append(KafkaHeader(key: CloudEventHeader.subject, value: subject)) }
        if let time { headers.append(KafkaHeader(key: CloudEventHeader.time, value: RFC3339.format(time))) }
        headers.append(KafkaHeader(key: CloudEventHeader.contentType, value: "application/json"))
        for (name, value) in extensions.sorted(by: { $0.key < $1.key }) {
            headers.append(KafkaHeader(key: CloudEventHeader.prefix + name, value: value))
        }
        return KafkaRecord(topic: topic, key: Array(key.utf8), value: data, headers: headers)
    }

    /// Reads a consumed record in either content mode and checks the required
    /// attributes (specversion 1.0, id, source, type; time if present is RFC 3339;
    /// data is JSON).
    public init(message: KafkaMessage) throws(InvalidEventError) {
        let contentType = message.header(CloudEventHeader.contentType).flatMap { $0.value }.map { String(decoding: $0, as: UTF8.self) }
        if let contentType, contentType.lowercased().hasPrefix("application/cloudevents+json") {
            self = try Self.structured(message.value)
        } else {
            self = try Self.binary(message, contentType: contentType)
        }
    }

    private static func binary(_ message: KafkaMessage, contentType: String?) throws(InvalidEventError) -> CloudEvent {
        func header(_ name: String) -> String? {
            message.header(name).flatMap { $0.value }.map { String(decoding: $0, as: UTF8.self) }
        }
        guard let version = header(CloudEventHeader.specVersion) else {
            throw InvalidEventError("missing header ce_specversion (not a CloudEvent)")
        }
        guard version == CloudEvent.specVersion else { throw InvalidEventError("ce_specversion is \(version), expected 1.0") }
        if let contentType, !isJSON(contentType) {
            throw InvalidEventError("content-type \(contentType) is not JSON")
        }
        var extensions: [String: String] = [:]
        for entry in message.headers where entry.key.hasPrefix(CloudEventHeader.prefix) {
            let name = String(entry.key.dropFirst(CloudEventHeader.prefix.count))
            if !coreAttributes.contains(name), let value = entry.value {
                extensions[name] = String(decoding: value, as: UTF8.self)
            }
        }
        return try validated(
            id: header(CloudEventHeader.id), source: header(CloudEventHeader.source),
            type: header(CloudEventHeader.type), subject: header(CloudEventHeader.subject),
            time: header(CloudEventHeader.time), data: message.value, extensions: extensions)
    }

    /// Structured mode: the whole event is one JSON object, as county systems may send it.
    private static func structured(_ value: [UInt8]?) throws(InvalidEventError) -> CloudEvent {
        guard let value, let object = try? JSONSerialization.jsonObject(with: Data(value)) as? [String: Any] else {
            throw InvalidEventError("structured-mode value is not a JSON object")
        }
        guard let version = object["specversion"] as? String else { throw InvalidEventError("missing attribute specversion") }
        guard version == CloudEvent.specVersion else { throw InvalidEventError("specversion is \(version), expected 1.0") }
        if let contentType = object["datacontenttype"] as? String, !isJSON(contentType) {
            throw InvalidEventError("datacontenttype \(contentType) is not JSON")
        }
        var data: [UInt8]?
        if let payload = object["data"] {
            guard let encoded = try? JSONSerialization.data(withJSONObject: payload, options: [.fragmentsAllowed]) else {
                throw InvalidEventError("data cannot be re-encoded as JSON")
            }
            data = Array(encoded)
        } else if object["data_base64"] != nil {
            throw InvalidEventError("data_base64 is not supported: data must be JSON")
        }
        var extensions: [String: String] = [:]
        for (name, value) in object where !coreAttributes.contains(name) && name != "data" && name != "datacontenttype" {
            if let text = value as? String { extensions[name] = text }
        }
        return try validated(
            id: object["id"] as? String, source: object["source"] as? String, type: object["type"] as? String,
            subject: object["subject"] as? String, time: object["time"] as? String, data: data, extensions: extensions)
    }

    private static func validated(
        id: String?, source: String?, type: String?, subject: String?, time: String?, data: [UInt8]?,
        extensions: [String: String]
    ) throws(InvalidEventError) -> CloudEvent {
        guard let id, !id.isEmpty else { throw InvalidEventError("missing attribute id (ce_id)") }
        guard let source, !source.isEmpty else { throw InvalidEventError("missing attribute source (ce_source)") }
        guard let type, !type.isEmpty else { throw InvalidEventError("missing attribute type (ce_type)") }
        var date: Date?
        if let time {
            guard let parsed = RFC3339.parseExactly(time) else { throw InvalidEventError("time (ce_time) is not RFC 3339: \(time)") }
            date = parsed
        }
        guard let data else { throw InvalidEventError("the event has no data (a tombstone is not an event)") }
        guard (try? JSONSerialization.jsonObject(with: Data(data), options: [.fragmentsAllowed])) != nil else {
            throw InvalidEventError("data is not valid JSON")
        }
        return CloudEvent(id: id, source: source, type: type, subject: subject, time: date, data: data, extensions: extensions)
    }

    private static let coreAttributes: Set<String> = ["specversion", "id", "source", "type", "subject", "time"]

    private static func isJSON(_ contentType: String) -> Bool {
        let media = contentType.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
        return media == "application/json" || media.hasSuffix("+json")
    }
}
