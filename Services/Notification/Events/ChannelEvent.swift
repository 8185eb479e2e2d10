import Domain
import EventFlow
import Foundation

/// Where a person's or a unit's alerts go changed, on
/// `shuangjian.notification.deliveries`, keyed by the configuration's id:
/// who configured which endpoint is part of the accountability record
/// (the audit log has the same acts). The secret never appears: the payload
/// is the configuration as the API shows it (`hasSecret`, masked tokens).
enum ChannelEvent {
    struct State: Codable, Sendable, Equatable {
        var channel: ChannelConfig
    }

    static func configured(_ config: ChannelConfig) throws -> OutboxEvent {
        try event(EventType.channelConfigured, config)
    }

    static func disabled(_ config: ChannelConfig) throws -> OutboxEvent {
        try event(EventType.channelDisabled, config)
    }

    private static func event(_ type: String, _ config: ChannelConfig) throws -> OutboxEvent {
        let id = config.id.uuidString.lowercased()
        return try OutboxEvent(
            topic: Topic.notificationDeliveries, aggregateType: "channel", aggregateId: id, type: type,
            subject: "channels/\(id)", payload: State(channel: config), occurredAt: config.updatedAt)
    }
}
