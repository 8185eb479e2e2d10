import Domain
import EventFlow
import Foundation

/// A batch of signals' stored states as one JSON array, written by hand in
/// `SignalRecord`'s `Codable` shape, byte for byte what `EventJSON.encoder`
/// writes (SignalStateJSONTests compares them): at the county's signal rate
/// `JSONEncoder` cost a quarter of the service's CPU. A member added to one of
/// these types is added here too, in its sorted place, or the test fails.
enum SignalStateJSON {
    static func array(_ signals: [SignalRecord]) throws -> [UInt8] {
        var writer = JSONTextWriter(capacity: signals.count * 700)
        writer.beginArray()
        for signal in signals { try write(signal, to: &writer) }
        writer.endArray()
        return writer.bytes
    }

    static func write(_ signal: SignalRecord, to writer: inout JSONTextWriter) throws {
        writer.beginObject()
        writer.key("data"); try write(signal.data, to: &writer)
        writer.key("eventId"); writer.string(signal.eventId)
        writer.key("id"); writer.uuid(signal.id)
        writer.key("kind"); writer.string(signal.kind)
        writer.key("receivedAt"); writer.date(signal.receivedAt)
        writer.key("source"); writer.string(signal.source)
        writer.key("subject"); write(signal.subject, to: &writer)
        writer.key("topics"); write(signal.topics, to: &writer)
        writer.key("type"); writer.string(signal.type)
        writer.key("via"); writer.string(signal.via)
        writer.endObject()
    }

    static func write(_ data: SignalPayload, to writer: inout JSONTextWriter) throws {
        writer.beginObject()
        if let amount = data.amountYuan { writer.key("amountYuan"); try writer.number(amount) }
        writer.key("concerns"); write(data.concerns, to: &writer)
        if let deaths = data.deaths { writer.key("deaths"); writer.integer(deaths) }
        if let injured = data.injured { writer.key("injured"); writer.integer(injured) }
        if let location = data.location { writer.key("location"); writer.string(location) }
        writer.key("occurredAt"); writer.date(data.occurredAt)
        if let platform = data.platform { writer.key("platform"); writer.string(platform) }
        writer.key("reference"); writer.string(data.reference)
        writer.key("severity"); writer.string(data.severity)
        writer.key("summary"); writer.string(data.summary)
        if let topics = data.topics { writer.key("topics"); write(topics, to: &writer) }
        if let url = data.url { writer.key("url"); writer.string(url) }
        writer.endObject()
    }

    static func write(_ concerns: SignalPayload.Concerns, to writer: inout JSONTextWriter) {
        writer.beginObject()
        if let institution = concerns.institution {
            writer.key("institution")
            writer.beginObject()
            if let code = institution.creditCode { writer.key("creditCode"); writer.string(code) }
            if let name = institution.name { writer.key("name"); writer.string(name) }
            writer.endObject()
        }
        if let school = concerns.school {
            writer.key("school")
            writer.beginObject()
            writer.key("name"); writer.string(school.name)
            writer.endObject()
        }
        if let topic = concerns.topic { writer.key("topic"); writer.string(topic) }
        if let unitId = concerns.unitId { writer.key("unitId"); writer.string(unitId) }
        writer.endObject()
    }

    static func write(_ subject: Subject, to writer: inout JSONTextWriter) {
        writer.beginObject()
        if let code = subject.creditCode { writer.key("creditCode"); writer.string(code) }
        if let id = subject.institutionId { writer.key("institutionId"); writer.uuid(id) }
        writer.key("key"); writer.string(subject.key)
        writer.key("kind"); writer.string(subject.kind)
        writer.key("name"); writer.string(subject.name)
        if let registered = subject.registered { writer.key("registered"); writer.bool(registered) }
        if let topic = subject.topic { writer.key("topic"); writer.string(topic) }
        if let unitId = subject.unitId { writer.key("unitId"); writer.string(unitId) }
        writer.endObject()
    }

    static func write(_ topics: [DutyTopic], to writer: inout JSONTextWriter) {
        writer.beginArray()
        for topic in topics { writer.string(topic) }
        writer.endArray()
    }
}
