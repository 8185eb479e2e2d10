import Domain
import EventFlow
import Foundation
import Postgres

/// What the joint-inspection statistics read.
enum InspectionStatisticsStore {
    struct Period: Sendable {
        /// Inclusive.
        var from: Date?
        /// Exclusive.
        var before: Date?
        var campaignId: UUID?
    }

    /// Inspections assigned in the period (and campaign).
    static func inspections(_ period: Period, on connection: PostgresConnection) async throws -> [Inspection] {
        try await connection.query("""
            SELECT state FROM inspections
            WHERE (\(period.from)::timestamptz IS NULL OR assigned_at >= \(period.from))
              AND (\(period.before)::timestamptz IS NULL OR assigned_at < \(period.before))
              AND (\(period.campaignId)::uuid IS NULL OR campaign_id = \(period.campaignId))
            """).jsonValues(Inspection.self)
    }

    /// Findings raised in the period (and campaign).
    static func findings(_ period: Period, on connection: PostgresConnection) async throws -> [Finding] {
        try await connection.query("""
            SELECT state FROM findings
            WHERE (\(period.from)::timestamptz IS NULL OR raised_at >= \(period.from))
              AND (\(period.before)::timestamptz IS NULL OR raised_at < \(period.before))
              AND (\(period.campaignId)::uuid IS NULL OR campaign_id = \(period.campaignId))
            """).jsonValues(Finding.self)
    }

    /// Unit id → level → the open warnings it answers for.
    static func openWarningsByUnit(on connection: PostgresConnection) async throws -> [String: [String: Int]] {
        var counts: [String: [String: Int]] = [:]
        for row in try await connection.query("""
            SELECT unit_id, level, count(*)::int FROM warnings, jsonb_array_elements_text(state -> 'responsibleUnitIds') AS unit_id
            WHERE status <> 'closed' GROUP BY unit_id, level
            """) {
            let (unitId, level, count) = try row.decode((String, String, Int).self)
            counts[unitId, default: [:]][level] = count
        }
        return counts
    }
}
