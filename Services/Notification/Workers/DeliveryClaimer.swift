import Foundation
import Postgres

/// Claims due deliveries: one statement leases up to `limit` of them
/// (`FOR UPDATE SKIP LOCKED`, so replicas never claim the same one) and reads
/// what sending them needs. In the same transaction, robot deliveries take a
/// slot in their endpoint's minute; those that find it full are handed back
/// with `next_attempt_at` at the next minute, without counting an attempt.
struct DeliveryClaimer: Sendable {
    let pool: PostgresPool
    let configuration: DeliveryWorkerConfiguration

    func claim(limit: Int, now: Date) async throws -> [DueDelivery] {
        guard limit > 0 else { return [] }
        let (seconds, attoseconds) = configuration.leaseDuration.components
        let leaseUntil = now.addingTimeInterval(Double(seconds) + Double(attoseconds) / 1e18)
        return try await pool.transaction { connection in
            var ready: [DueDelivery] = []
            for due in try await DeliveryClaimStore.lease(limit: limit, now: now, until: leaseUntil, on: connection) {
                if let perMinute = configuration.ratePerMinute[due.delivery.channel], let endpoint = due.endpoint,
                   due.configEnabled,
                   try await !EndpointRateLimit.admit(endpoint: endpoint, limit: perMinute, now: now, on: connection) {
                    try await DeliveryClaimStore.handBack(
                        due.delivery.id, dueAt: EndpointRateLimit.minute(of: now).addingTimeInterval(60), on: connection)
                    continue
                }
                ready.append(due)
            }
            return ready
        }
    }
}
