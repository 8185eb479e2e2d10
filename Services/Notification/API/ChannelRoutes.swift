import Audit
import ChannelSecrets
import Foundation
import Hummingbird
import Postgres
import ServiceKit

/// Where a person's or a unit's alerts go: webhook, DingTalk or WeCom robot,
/// SMS gateway, and in which order they are tried (`priority`). A secret is
/// sealed — bound to its owner and channel — before it is stored and is
/// never returned: responses say only whether one is set. An endpoint whose
/// host is, or resolves to, a private address is refused (`EndpointGuard`).
struct ChannelRoutes {
    let pool: PostgresPool
    let seal: @Sendable (String, SecretBinding) throws -> Data
    let endpoints: EndpointGuard
    let now: @Sendable () -> Date

    struct Setting: Codable, Sendable {
        var endpoint: String
        var secret: String?
        var enabled: Bool?
        /// Lower is tried first; absent keeps the stored one (100 for a new channel).
        var priority: Int?
    }

    static let secretLengths = 16...512

    func register(on router: Router<ServiceRequestContext>) {
        router.get("/v1/channels") { request, context in
            let principal = try context.require(anyOf: Access.channelReaders)
            let query = request.uri.queryParameters
            var kind: ChannelConfig.OwnerKind?
            if let raw = query.get("ownerKind") {
                guard let parsed = ChannelConfig.OwnerKind(rawValue: raw) else {
                    throw Problem.badRequest("ownerKind must be person or unit", field: "ownerKind")
                }
                kind = parsed
            }
            var configs = try await ChannelStore.list(ownerKind: kind, ownerId: query.get("ownerId"), pool)
            if principal.role == .unit {
                let people = try await ChannelStore.people(ofUnit: principal.unitId ?? "", pool)
                configs = configs.filter { ($0.ownerKind == .unit && $0.ownerId == principal.unitId) || people.contains($0.ownerId) }
            }
            return JSONResponse(Items(items: configs))
        }
        router.put("/v1/channels/{ownerKind}/{ownerId}/{channel}") { request, context in
            let principal = try context.require(anyOf: Access.channelWriters)
            let (kind, owner, channel) = try target(context)
            // Who first: another unit learns nothing from validation errors.
            try await pool.withConnection { try await authorize(principal, kind, owner, on: $0) }
            let setting = try await request.decodeJSON(Setting.self).0
            try await validate(setting, for: channel)
            let binding = SecretBinding(ownerKind: kind.rawValue, ownerId: owner, channel: channel.rawValue)
            let sealed = try setting.secret.map { try seal($0, binding) }
            let config = try await pool.transaction { connection -> ChannelConfig in
                try await authorize(principal, kind, owner, on: connection)
                let config = try await ChannelStore.upsert(
                    kind: kind, owner: owner, channel: channel, endpoint: setting.endpoint, sealedSecret: sealed,
                    keepSecret: setting.secret == nil, enabled: setting.enabled ?? true, priority: setting.priority,
                    at: now(), on: connection)
                try await Journal.record(
                    try ChannelEvent.configured(config), by: AuditActor(principal), at: config.updatedAt, on: connection)
                return config
            }
            return JSONResponse(config)
        }
        router.delete("/v1/channels/{ownerKind}/{ownerId}/{channel}") { _, context in
            let principal = try context.require(anyOf: Access.channelWriters)
            let (kind, owner, channel) = try target(context)
            let disabled = try await pool.transaction { connection -> ChannelConfig? in
                try await authorize(principal, kind, owner, on: connection)
                guard let config = try await ChannelStore.disable(kind: kind, owner: owner, channel: channel, at: now(), on: connection)
                else { return nil }
                try await Journal.record(
                    try ChannelEvent.disabled(config), by: AuditActor(principal), at: config.updatedAt, on: connection)
                return config
            }
            guard disabled != nil else { throw Problem.notFound("no \(channel.rawValue) channel for \(kind.rawValue) \(owner)") }
            return HTTPResponse.Status.noContent
        }
    }

    private func target(_ context: ServiceRequestContext) throws -> (ChannelConfig.OwnerKind, String, Channel) {
        guard let kind = context.parameters.get("ownerKind").flatMap(ChannelConfig.OwnerKind.init(rawValue:)) else {
            throw Problem.notFound("ownerKind must be person or unit")
        }
        guard let channel = context.parameters.get("channel").flatMap(Channel.init(rawValue:)) else {
            throw Problem.notFound("channel must be one of webhook, dingtalk, wecom, sms")
        }
        var owner = context.parameters.get("ownerId") ?? ""
        if kind == .person {
            guard let id = UUID(uuidString: owner) else { throw Problem.notFound("a person is named by their id (UUID)") }
            owner = id.uuidString.lowercased()
        }
        return (kind, owner, channel)
    }

    /// The office configures anyone; a unit's liaison its unit and its own people.
    private func authorize(
        _ principal: Principal, _ kind: ChannelConfig.OwnerKind, _ owner: String, on connection: PostgresConnection
    ) async throws {
        let unit = try await ChannelStore.unit(ofOwner: kind, owner, on: connection)
        guard let unit else {
            throw Problem.validation([.init(field: "ownerId", detail: "no \(kind.rawValue) \(owner) in the directory")])
        }
        if principal.role == .office { return }
        guard principal.role == .unit, principal.unitId == unit else {
            throw Problem.forbidden("Only the office, or the liaison of \(unit), may configure this channel.")
        }
    }

    /// The body's rules, then — only for an endpoint that passed them — its
    /// address: resolved and checked now, and again at every send.
    private func validate(_ setting: Setting, for channel: Channel) async throws {
        var validation = Validation()
        let url = URL(string: setting.endpoint)
        let scheme = url?.scheme?.lowercased()
        let host = url?.host?.lowercased() ?? ""
        let loopback = host == "127.0.0.1" || host == "localhost" || host == "::1"
        validation.check(ChannelEndpoint.pattern.matches(setting.endpoint) && url != nil
                         && (scheme == "https" || (scheme == "http" && loopback)) && !host.isEmpty,
                         "endpoint", "must be an https URL (http only on loopback, for local testing)")
        validation.check(TextRules.length(setting.endpoint) <= ChannelEndpoint.maxLength, "endpoint", "must be at most 1000 characters")
        if let secret = setting.secret {
            validation.check(Self.secretLengths.contains(TextRules.length(secret)), "secret", "must be 16 to 512 characters")
        }
        if let priority = setting.priority {
            validation.check(ChannelConfig.priorities.contains(priority), "priority", "must be an integer from 0 to 1000")
        }
        switch channel {
        case .dingtalk:
            validation.check(loopback || (host == "oapi.dingtalk.com" && setting.endpoint.contains("access_token=")),
                             "endpoint", "must be a DingTalk robot URL (https://oapi.dingtalk.com/robot/send?access_token=…)")
            validation.check(setting.secret?.hasPrefix("SEC") ?? false, "secret",
                             "a DingTalk robot needs its signing secret (SEC…): unsigned robots are refused")
        case .wecom:
            validation.check(loopback || (host == "qyapi.weixin.qq.com" && setting.endpoint.contains("key=")),
                             "endpoint", "must be a WeCom robot URL (https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…)")
        case .webhook, .sms:
            break
        }
        try validation.throwIfInvalid()
        guard let url else { return }
        switch await endpoints.check(url) {
        case .allowed: return
        case .refused(let reason):
            throw Problem.validation([.init(field: "endpoint", detail: reason)])
        case .unresolvable(let reason):
            throw Problem.validation([.init(field: "endpoint", detail:
                "its host does not resolve (\(reason)); an endpoint's address is checked before it is stored")])
        }
    }
}
