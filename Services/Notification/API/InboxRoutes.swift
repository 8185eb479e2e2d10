import Audit
import Domain
import EventFlow
import Foundation
import Hummingbird
import Postgres
import ServiceKit

/// The in-app inbox: the caller's notifications, marking them read, and
/// 签收 — acknowledging receipt, which stops a letter's escalation.
struct InboxRoutes {
    let pool: PostgresPool
    let now: @Sendable () -> Date

    func register(on router: Router<ServiceRequestContext>) {
        router.get("/v1/inbox") { request, context in
            let (_, person) = try context.person()
            var unreadOnly = false
            if let raw = request.uri.queryParameters.get("unread") {
                guard let value = Bool(raw) else { throw Problem.badRequest("unread must be true or false", field: "unread") }
                unreadOnly = value
            }
            return JSONResponse(Items(items: try await NotificationStore.inbox(of: person, unreadOnly: unreadOnly, pool)))
        }
        router.post("/v1/inbox/{id}/read") { _, context in
            let (_, person) = try context.person()
            let id = try context.uuid("id")
            let at = now()
            let notification = try await pool.transaction { connection -> InboxNotification in
                guard var notification = try await NotificationStore.lock(id, of: person, on: connection) else {
                    throw Problem.notFound("no notification \(id) in your inbox")
                }
                if notification.readAt == nil {
                    notification.readAt = at
                    try await NotificationStore.markRead(id, at: at, on: connection)
                }
                return notification
            }
            return JSONResponse(notification)
        }
        router.post("/v1/inbox/{id}/acknowledge") { _, context in
            let (principal, person) = try context.person()
            let id = try context.uuid("id")
            let at = now()
            let notification = try await pool.transaction { connection -> InboxNotification in
                guard var notification = try await NotificationStore.lock(id, of: person, on: connection) else {
                    throw Problem.notFound("no notification \(id) in your inbox")
                }
                guard notification.acknowledgedAt == nil else { return notification }  // 签收 once; repeating it changes nothing
                notification.acknowledgedAt = at
                notification.acknowledgedBy = principal.subject
                if notification.readAt == nil { notification.readAt = at }
                try await NotificationStore.acknowledge(id, by: principal.subject, at: at, on: connection)
                try await Journal.record(
                    try NotificationEvent.acknowledged(notification, at: at), by: AuditActor(principal), at: at, on: connection)
                return notification
            }
            return JSONResponse(notification)
        }
    }
}
