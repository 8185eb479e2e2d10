import Foundation
import Postgres

/// When each stage of the pipeline handled a phase's alerts, read back from
/// the notification service's own rows (its clock is the wall clock): the
/// consumer routing events into notifications and deliveries, the worker
/// starting each first send, and the relay publishing the delivery events.
/// Printed as first…last seconds after the phase's first event was
/// published, so the stage whose span is the phase's span is the one that
/// paces it.
enum StageTimes {
    static func describe(events: [String], publishedAt start: Date, notification pool: PostgresPool) async throws -> String {
        let row = try await pool.query("""
            WITH n AS (SELECT id, created_at FROM notifications WHERE event_id = ANY(\(events))),
                 d AS (SELECT d.id FROM deliveries d JOIN n ON n.id = d.notification_id),
                 a AS (SELECT a.at, a.at + a.duration_ms * interval '1 millisecond' AS ended, a.duration_ms
                       FROM delivery_attempts a JOIN d ON d.id = a.delivery_id),
                 o AS (SELECT o.published_at FROM outbox o JOIN d ON o.aggregateid = d.id::text
                       WHERE o.aggregatetype = 'delivery')
            SELECT (SELECT extract(epoch FROM min(created_at))::float8 FROM n),
                   (SELECT extract(epoch FROM max(created_at))::float8 FROM n),
                   (SELECT extract(epoch FROM min(at))::float8 FROM a),
                   (SELECT extract(epoch FROM max(at))::float8 FROM a),
                   (SELECT extract(epoch FROM max(ended))::float8 FROM a),
                   (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY duration_ms)::float8 FROM a),
                   (SELECT extract(epoch FROM min(published_at))::float8 FROM o),
                   (SELECT extract(epoch FROM max(published_at))::float8 FROM o),
                   (SELECT count(*)::int FROM a), (SELECT count(*)::int FROM o WHERE published_at IS NOT NULL)
            """)[0]
        let origin = start.timeIntervalSince1970
        func at(_ column: Int) throws -> String {
            guard let value = try row.decode(column, as: Double?.self) else { return "—" }
            return String(format: "%.2f", value - origin)
        }
        let sendMedian = try row.decode(5, as: Double?.self) ?? 0
        return "stages (s after publishing): routed \(try at(0))…\(try at(1)); "
            + "sends started \(try at(2))…\(try at(3)), ended by \(try at(4)) "
            + String(format: "(median send %.0f ms, %d attempts); ", sendMedian, try row.decode(8, as: Int.self))
            + "delivery events published \(try at(6))…\(try at(7)) (\(try row.decode(9, as: Int.self)))"
    }
}
