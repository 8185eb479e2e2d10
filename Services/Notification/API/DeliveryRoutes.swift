import Domain
import Audit
import Foundation
import Hummingbird
import Postgres
import ServiceKit

/// What happened to the alerts: deliveries by recipient, event or state,
/// counts by state and channel, and re-sending a dead one.
struct DeliveryRoutes {
    let pool: PostgresPool
    let now: @Sendable () -> Date


    func register(on router: Router<ServiceRequestContext>) {
        router.get("/v1/deliveries") { request, context in
            _ = try context.require(anyOf: Access.deliveryReaders)
            let query = request.uri.queryParameters
            var validation = Validation()
            var recipient: UUID?
            if let raw = query.get("recipient") {
                recipient = UUID(uuidString: raw)
                validation.check(recipient != nil, "recipient", "must be a person id (UUID)")
            }
            var state: DeliveryState?
            if let raw = query.get("state") {
                state = DeliveryState(rawValue: raw)
                validation.check(state != nil, "state", "must be one of pending, sent, failed, dead")
            }
            try validation.throwIfInvalid(status: .badRequest)
            return JSONResponse(Items(items: try await DeliveryStore.find(
                recipient: recipient, eventId: query.get("event"), state: state, pool)))
        }
        router.get("/v1/deliveries/counts") { _, context in
            _ = try context.require(anyOf: Access.deliveryReaders)
            return JSONResponse(Items(items: try await DeliveryStore.counts(pool)))
        }
        router.get("/v1/deliveries/{id}/attempts") { _, context in
            _ = try context.require(anyOf: Access.deliveryReaders)
            return JSONResponse(Items(items: try await DeliveryStore.attempts(of: try context.uuid("id"), pool)))
        }
        router.post("/v1/deliveries/{id}/resend") { _, context in
            let principal = try context.require(anyOf: Access.managers)
            let id = try context.uuid("id")
            let at = now()
            let delivery = try await pool.transaction { connection -> Delivery in
                guard let requeued = try await DeliveryStore.resend(id, at: at, on: connection) else {
                    throw Problem.conflict("delivery \(id) does not exist or is not dead: only a dead delivery is re-sent")
                }
                let event = try DeliveryEventPayload(requeued: requeued).outboxEvent(type: EventType.deliveryRequeued, occurredAt: at)
                try await Journal.record(event, by: AuditActor(principal), at: at, on: connection)
                return requeued.delivery
            }
            return JSONResponse(delivery)
        }
    }
}
