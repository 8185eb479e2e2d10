import Domain
import Foundation
import Postgres

/// Writes events into the outbox inside the caller's open transaction.
public enum Outbox {
    /// One statement for any number of events, so a batch costs one round trip.
    /// Call it after the state change's own writes: the row locks those take
    /// order concurrent changes to one aggregate, and with them the `seq` of
    /// their events.
    public static func append(_ events: [OutboxEvent], on connection: PostgresConnection) async throws {
        guard !events.isEmpty else { return }
        var ids: [String] = [], topics: [String] = [], aggregateTypes: [String] = [], aggregateIds: [String] = []
        var types: [String] = [], subjects: [String] = [], hasSubject: [String] = [], payloads: [String] = []
        var headers: [String] = [], times: [String] = []
        for event in events {
            ids.append(event.id.lowercasedString)
            topics.append(event.topic)
            aggregateTypes.append(event.aggregateType)
            aggregateIds.append(event.aggregateId)
            types.append(event.type)
            subjects.append(event.subject ?? "")
            hasSubject.append(event.subject == nil ? "f" : "t")
            payloads.append(String(decoding: event.payload, as: UTF8.self))
            // Most events carry no extensions: no encoder run for an empty object.
            headers.append(event.extensions.isEmpty ? "{}" : String(decoding: try EventJSON.encoder.encode(event.extensions), as: UTF8.self))
            times.append(RFC3339.format(event.occurredAt))
        }
        // unnest keeps the arrays' order, so seq follows the order of `events`.
        // Prepared: the text is the same for any number of events.
        let insert: PostgresQuery = """
            INSERT INTO outbox (id, topic, aggregatetype, aggregateid, type, subject, payload, headers, occurred_at)
            SELECT id::uuid, topic, aggregatetype, aggregateid, type,
                   CASE WHEN has_subject::boolean THEN subject END, payload::jsonb, headers::jsonb, occurred_at::timestamptz
            FROM unnest(\(ids), \(topics), \(aggregateTypes), \(aggregateIds), \(types), \(subjects), \(hasSubject),
                        \(payloads), \(headers), \(times))
                 WITH ORDINALITY AS e(id, topic, aggregatetype, aggregateid, type, subject, has_subject, payload, headers, occurred_at, n)
            ORDER BY n
            """
        try await connection.execute(insert.prepared)
    }

    public static func append(_ event: OutboxEvent, on connection: PostgresConnection) async throws {
        try await append([event], on: connection)
    }
}
