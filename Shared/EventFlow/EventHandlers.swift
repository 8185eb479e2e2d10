import Foundation
import Kafka
import Postgres

/// One consumed event with its decoded payload, as a handler sees it.
public struct ConsumedEvent<Payload: Sendable>: Sendable {
    public var event: CloudEvent
    public var payload: Payload
    public var topic: String
    public var partition: Int32
    public var offset: Int64
    public var key: String?
    /// The record's Kafka timestamp (when it was produced), if the broker kept one.
    public var kafkaTimestamp: Date?
}

/// A handler's verdict that the event can never be applied (it contradicts
/// the handler's rules). It goes to the dead-letter topic at once, without
/// the retries an unexpected error gets.
public struct EventRejected: Error, CustomStringConvertible, Sendable {
    public var reason: String
    public init(_ reason: String) { self.reason = reason }
    public var description: String { "rejected: \(reason)" }
}

/// A failure that will pass by itself (a dependency is briefly unavailable):
/// the consumer retries it in place for as long as it takes.
public struct TransientEventError: Error, CustomStringConvertible, Sendable {
    public var reason: String
    public init(_ reason: String) { self.reason = reason }
    public var description: String { "transient: \(reason)" }
}

/// The handlers of one consumer, by `ce_type`. A handler gets the decoded
/// event and the open transaction: it writes its state and any outbox rows
/// there, and the consumer commits them together with the inbox row.
public struct EventHandlers: Sendable {
    var byType: [String: AnyEventHandler] = [:]

    public init() {}

    public var types: [String] { byType.keys.sorted() }

    /// Decodes `event` and applies its registered handler on `connection`
    /// (the caller's open transaction), as the consumer would, without the
    /// inbox. For tests and tools. Returns false when no handler knows
    /// `event.type`; throws `InvalidEventError` when the data does not decode.
    @discardableResult
    public func handle(_ event: CloudEvent, message: KafkaMessage, on connection: PostgresConnection) async throws -> Bool {
        guard let handler = byType[event.type] else { return false }
        let prepared = try handler.prepare(event, message)
        try await prepared.apply(connection)
        return true
    }

    /// Registers `handle` for `type`, taking a run of such events at once:
    /// when a batch holds several consecutive events of `type` (in a
    /// partition's order), the consumer hands them over together, in order,
    /// in the same transaction as one-by-one handling would — so a handler
    /// can read what they share once and write their rows in one statement.
    /// A run that fails is retried event by event, each as a run of one.
    /// Only for handlers whose events do not depend on one another's writes
    /// within a run.
    public mutating func onBatch<Payload: Decodable & Sendable>(
        _ type: String, _ payload: Payload.Type,
        _ handle: @escaping @Sendable ([ConsumedEvent<Payload>], PostgresConnection) async throws -> Void
    ) {
        onBatch([type], payload, handle)
    }

    /// `onBatch` for several types that one handler applies together: a run
    /// is consecutive events of any of `types` (a county system's mixed
    /// signals stay one run). `check`, when given, runs on each decoded event
    /// before any transaction: an event it rejects (`EventRejected`) goes to
    /// the dead-letter topic at once and never reaches a run, so one bad
    /// record does not send its whole batch down the one-by-one path.
    public mutating func onBatch<Payload: Decodable & Sendable>(
        _ types: [String], _ payload: Payload.Type,
        check: (@Sendable (ConsumedEvent<Payload>) throws -> Void)? = nil,
        _ handle: @escaping @Sendable ([ConsumedEvent<Payload>], PostgresConnection) async throws -> Void
    ) {
        let runKey = types.joined(separator: " ")
        for type in types {
            precondition(byType[type] == nil, "two handlers for \(type)")
            byType[type] = AnyEventHandler { event, message in
                let consumed = try Self.consumed(event, message, as: Payload.self)
                try check?(consumed)
                return AnyEventHandler.Prepared(
                    apply: { connection in try await handle([consumed], connection) },
                    run: AnyEventHandler.Run(type: type, key: runKey, element: consumed) { elements, connection in
                        try await handle(elements.map { $0 as! ConsumedEvent<Payload> }, connection)
                    })
            }
        }
    }

    /// Registers `handle` for `type`; a payload that does not decode as
    /// `Payload` is invalid and goes to the dead-letter topic at once.
    public mutating func on<Payload: Decodable & Sendable>(
        _ type: String, _ payload: Payload.Type,
        _ handle: @escaping @Sendable (ConsumedEvent<Payload>, PostgresConnection) async throws -> Void
    ) {
        precondition(byType[type] == nil, "two handlers for \(type)")
        byType[type] = AnyEventHandler { event, message in
            let consumed = try Self.consumed(event, message, as: Payload.self)
            return AnyEventHandler.Prepared(apply: { connection in try await handle(consumed, connection) }, run: nil)
        }
    }

    /// Decodes `event`'s data; data that does not decode is an invalid event.
    private static func consumed<Payload: Decodable & Sendable>(
        _ event: CloudEvent, _ message: KafkaMessage, as: Payload.Type
    ) throws -> ConsumedEvent<Payload> {
        let payload: Payload
        do {
            payload = try event.decodeData(as: Payload.self)
        } catch {
            throw InvalidEventError("data does not match \(event.type): \(describeDecodingError(error))")
        }
        return ConsumedEvent(
            event: event, payload: payload, topic: message.topic, partition: message.partition,
            offset: message.offset, key: message.key.map { String(decoding: $0, as: UTF8.self) },
            kafkaTimestamp: message.timestamp.map { Date(timeIntervalSince1970: Double($0) / 1000) })
    }
}

/// Type-erased: decodes first (before any transaction), applies later.
struct AnyEventHandler: Sendable {
    typealias Apply = @Sendable (PostgresConnection) async throws -> Void

    /// A decoded event, ready to apply alone — or, for `onBatch` handlers,
    /// together with its neighbours of the same type.
    struct Prepared: Sendable {
        let apply: Apply
        let run: Run?
    }

    /// One event's part of a run: consecutive parts of the same `key` (one
    /// handler's, which may take several types) are applied by one call of `applyAll`.
    struct Run: Sendable {
        /// The event's own type (for its metrics).
        let type: String
        let key: String
        let element: any Sendable
        let applyAll: @Sendable ([any Sendable], PostgresConnection) async throws -> Void
    }

    let prepare: @Sendable (CloudEvent, KafkaMessage) throws -> Prepared
}

/// `items[2].name: expected String` rather than Foundation's long description.
func describeDecodingError(_ error: any Error) -> String {
    guard let error = error as? DecodingError else { return "\(error)" }
    func path(_ context: DecodingError.Context, _ extra: (any CodingKey)? = nil) -> String {
        let keys = context.codingPath + (extra.map { [$0] } ?? [])
        let text = keys.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
        return text.hasPrefix(".") ? String(text.dropFirst()) : (text.isEmpty ? "(root)" : text)
    }
    switch error {
    case .keyNotFound(let key, let context): return "\(path(context, key)): missing"
    case .typeMismatch(let type, let context): return "\(path(context)): expected \(type)"
    case .valueNotFound(let type, let context): return "\(path(context)): expected \(type), found null"
    case .dataCorrupted(let context): return "\(path(context)): \(context.debugDescription)"
    @unknown default: return "\(error)"
    }
}
