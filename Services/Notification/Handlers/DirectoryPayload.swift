import EventFlow
import Foundation

// What the directory reads of the registry's events: only the fields it keeps
// (the notification service never imports the registry's code). Unknown
// fields are ignored, so the registry may add some without breaking this.

/// A member unit, as the directory keeps it.
struct DirectoryUnit: Codable, Sendable, Equatable {
    struct Duty: Codable, Sendable, Equatable {
        /// Topic names as strings: a topic new to this service still routes.
        var topics: [String]
    }

    var id: String
    var name: String
    var memberId: UUID?
    var liaisonId: UUID?
    var duties: [Duty]
    var version: Int

    /// The union of the unit's duties' topics, sorted.
    var topics: [String] { Array(Set(duties.flatMap(\.topics))).sorted() }

    /// What `directory_units.state` holds.
    var state: DirectoryUnitState {
        DirectoryUnitState(id: id, name: name, memberId: memberId, liaisonId: liaisonId, topics: topics, version: version)
    }
}

/// `directory_units.state` (jsonb).
struct DirectoryUnitState: Codable, Sendable, Equatable {
    var id: String
    var name: String
    var memberId: UUID?
    var liaisonId: UUID?
    var topics: [String]
    var version: Int
}

/// A person, as the directory keeps it. `directory_people.state` holds it
/// as JSON (camelCase): `{"id", "name", "unitId", "title", "roles",
/// "channels": {"mobile", "email", "dingTalkUserId", "weComUserId"}, "version"}`.
struct DirectoryPerson: Codable, Sendable, Equatable {
    struct Channels: Codable, Sendable, Equatable {
        var mobile: String?
        var email: String?
        var dingTalkUserId: String?
        var weComUserId: String?
    }

    var id: UUID
    var name: String
    var unitId: String?
    var title: String?
    /// Role names as strings (convener, member, liaison, office).
    var roles: [String]
    var channels: Channels
    var version: Int

    enum CodingKeys: String, CodingKey { case id, name, unitId, title, roles, channels, version }

    init(id: UUID, name: String, unitId: String?, title: String?, roles: [String], channels: Channels, version: Int) {
        self.id = id
        self.name = name
        self.unitId = unitId
        self.title = title
        self.roles = roles
        self.channels = channels
        self.version = version
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(UUID.self, forKey: .id)
        name = try container.decode(String.self, forKey: .name)
        unitId = try container.decodeIfPresent(String.self, forKey: .unitId)
        title = try container.decodeIfPresent(String.self, forKey: .title)
        roles = try container.decode([String].self, forKey: .roles)
        channels = try container.decodeIfPresent(Channels.self, forKey: .channels)
            ?? Channels(mobile: nil, email: nil, dingTalkUserId: nil, weComUserId: nil)
        version = try container.decode(Int.self, forKey: .version)
    }
}

/// The payloads of the registry's events, as the directory reads them.
enum DirectoryPayload {
    /// `unit.admitted.v1`, `unit.updated.v1`.
    struct UnitState: Decodable, Sendable { var unit: DirectoryUnit }

    /// `liaison.changed.v1`: the unit and its new liaison (nil: none now).
    struct LiaisonChange: Decodable, Sendable {
        var unit: DirectoryUnit
        var liaison: DirectoryPerson?
        var previousLiaisonId: UUID?
    }

    /// `person.created.v1`, `person.changed.v1`.
    struct PersonState: Decodable, Sendable { var person: DirectoryPerson }

    /// Proposal events: no directory change; the id is checked so a payload
    /// of the wrong shape is a dead letter, not a silent skip.
    struct ProposalState: Decodable, Sendable {
        struct Proposal: Decodable, Sendable { var id: UUID }
        var proposal: Proposal
    }

    /// Institution events: no directory change (routing reads the rest).
    struct InstitutionState: Decodable, Sendable {
        struct Institution: Decodable, Sendable { var id: UUID }
        var institution: Institution
    }

    /// Any other routed type: only what the rules read, which they read from
    /// the event's data as `JSONValue.parse` gives it. Decoding checks only
    /// that the data is an object.
    struct Other: Decodable, Sendable {
        private struct AnyKey: CodingKey {
            var stringValue: String
            var intValue: Int? { nil }
            init(stringValue: String) { self.stringValue = stringValue }
            init?(intValue: Int) { nil }
        }

        init(from decoder: any Decoder) throws {
            guard (try? decoder.container(keyedBy: AnyKey.self)) != nil else {
                throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "event data is not a JSON object"))
            }
        }
    }
}

/// An event's payload decoded twice from the same JSON: as the directory's
/// `Typed` view and as plain JSON for the routing rules.
struct Routed<Typed: Decodable & Sendable>: Decodable, Sendable {
    var typed: Typed
    var data: JSONValue

    init(from decoder: any Decoder) throws {
        typed = try Typed(from: decoder)
        data = try JSONValue(from: decoder)
    }
}
