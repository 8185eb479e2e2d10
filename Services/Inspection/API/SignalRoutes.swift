import Domain
import EventFlow
import Foundation
import Hummingbird
import Postgres
import ServiceKit

/// County signals over HTTP, for systems that cannot produce to Kafka:
/// `POST /v1/signals` takes the same CloudEvent (structured mode, the same
/// data schemas) and applies it with the same `SignalIntake`, so a signal
/// sent both ways is applied once. Reading signals is for the office and conveners.
struct SignalRoutes {
    let pool: PostgresPool
    let intake: SignalIntake

    /// A structured-mode CloudEvent (CloudEvents 1.0 JSON format).
    struct Submission: Codable, Sendable {
        var specversion: String
        var id: String
        var source: String
        var type: String
        var time: Date?
        var subject: String?
        var datacontenttype: String?
        var data: SignalPayload
    }

    /// What `POST /v1/signals` answers: the signal as applied, whether it
    /// had been applied before, and the warning it raised or escalated.
    struct Receipt: Codable, Sendable {
        var signal: SignalRecord
        var duplicate: Bool
        var warningId: UUID?
    }

    func register(on router: Router<ServiceRequestContext>) {
        router.post("/v1/signals") { request, context in
            let principal = try context.require(anyOf: Access.signalSenders)
            let (body, raw) = try await request.decodeJSON(Submission.self)
            let envelope = try validate(body)
            return try await IdempotentCreate(pool: pool).run(request, principal: principal, body: raw) { connection in
                let outcome: SignalIntake.Outcome
                do {
                    outcome = try await intake.apply(envelope, on: connection)
                } catch let invalid as InvalidSignal {
                    throw Problem.validation(invalid.problems.map { .init(field: "data." + $0.field, detail: $0.detail) })
                }
                let receipt = Receipt(signal: outcome.signal, duplicate: outcome.duplicate, warningId: outcome.warning?.id)
                return (outcome.duplicate ? .ok : .created, try EventJSON.encoder.encode(receipt))
            }
        }
        router.get("/v1/signals") { request, context in
            try context.require(anyOf: Access.signalReaders)
            var query = QueryParsing(request)
            let page = query.parse("page", QueryParsing.pageNumber) ?? 1
            let pageSize = query.parse("pageSize", QueryParsing.pageSize) ?? 50
            let search = SignalStore.Search(
                subjectKey: query.parse("subjectKey", QueryParsing.exact(maxLength: 300)) ?? nil,
                kind: query.parse("kind", SignalKind.init(rawValue:)), from: query.date("from"), to: query.date("to"),
                page: page, pageSize: pageSize)
            try query.finish()
            return JSONResponse(try await SignalStore.search(search, pool))
        }
        router.get("/v1/signals/{id}") { _, context in
            try context.require(anyOf: Access.signalReaders)
            let id = try context.uuid("id")
            guard let signal = try await SignalStore.find(id, pool) else { throw Problem.notFound("no signal \(id)") }
            return JSONResponse(signal)
        }
    }

    /// The envelope's rules (the data's are `SignalValidation`'s, checked by the intake).
    private func validate(_ body: Submission) throws -> SignalIntake.Envelope {
        var validation = Validation()
        validation.check(body.specversion == CloudEvent.specVersion, "specversion", "must be \(CloudEvent.specVersion)")
        let id = validation.text(body.id, "id", maxLength: 200)
        let source = validation.text(body.source, "source", maxLength: 200)
        validation.check(EventType.countySignals.contains(body.type), "type",
                         "must be one of \(EventType.countySignals.joined(separator: ", "))")
        if let subject = body.subject {
            validation.check(TextRules.length(subject) <= 200, "subject", "must be at most 200 characters")
        }
        if let type = body.datacontenttype {
            validation.check(type == "application/json", "datacontenttype", "must be application/json")
        }
        try validation.throwIfInvalid()
        return SignalIntake.Envelope(source: source, eventId: id, type: body.type, data: body.data, via: .http)
    }
}
