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

    /// The warnings a period's figures need: those raised before its end
    /// that were raised in it or still open at its end (`WarningPeriodCounts`).
    /// Warnings belong to no campaign: `campaignId` does not narrow them.
    static func warnings(_ period: Period, on connection: PostgresConnection) async throws -> [WarningTimeline] {
        try await connection.query("""
            SELECT jsonb_build_object(
                'responsibleUnitIds', state -> 'responsibleUnitIds', 'levelHistory', state -> 'levelHistory',
                'level', state -> 'level', 'raisedAt', state -> 'raisedAt', 'closedAt', state -> 'closed' -> 'at')
            FROM warnings
            WHERE (\(period.before)::timestamptz IS NULL OR raised_at < \(period.before))
              AND (\(period.from)::timestamptz IS NULL OR raised_at >= \(period.from)
                   OR closed_at IS NULL OR closed_at >= \(period.before))
            """).jsonValues(WarningTimeline.self)
    }
}
