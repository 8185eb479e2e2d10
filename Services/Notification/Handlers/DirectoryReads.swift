import Domain
import Foundation
import Postgres

/// The directory as one routing call reads it: each question asked of the
/// database once, then answered from memory — a run of events (a burst of
/// letters to the same units) shares the answers. It lives for one call,
/// inside the consumer's transaction, during which nothing writes the
/// directory (directory events are never routed in a run: see
/// `NotificationHandlers`).
final class DirectoryReads {
    private let connection: PostgresConnection
    private var holders: [UnitPosition: [String: DirectoryStore.Entry?]] = [:]
    private var unitNames: [String: String?] = [:]
    private var personNames: [UUID: String?] = [:]
    private var people: [UUID: DirectoryStore.Entry?] = [:]
    private var withRole: [PersonRole: [DirectoryStore.Entry]] = [:]
    private var unitsByTopics: [[String]: [String]] = [:]

    init(_ connection: PostgresConnection) { self.connection = connection }

    /// Unit id → the holder of `position` there, for the units that have one.
    func holders(of position: UnitPosition, in units: [String]) async throws -> [String: DirectoryStore.Entry] {
        let unknown = Array(Set(units.filter { holders[position]?[$0] == nil }))
        if !unknown.isEmpty {
            let found = try await DirectoryStore.holders(of: position, in: unknown, on: connection)
            for unit in unknown { holders[position, default: [:]][unit] = .some(found[unit]) }
        }
        var result: [String: DirectoryStore.Entry] = [:]
        for unit in units { if let entry = holders[position]?[unit] ?? nil { result[unit] = entry } }
        return result
    }

    func unitNames(_ ids: [String]) async throws -> [String: String] {
        let unknown = Array(Set(ids.filter { unitNames[$0] == nil }))
        if !unknown.isEmpty {
            let found = try await DirectoryStore.unitNames(unknown, on: connection)
            for id in unknown { unitNames[id] = .some(found[id]) }
        }
        var result: [String: String] = [:]
        for id in ids { if let name = unitNames[id] ?? nil { result[id] = name } }
        return result
    }

    func personNames(_ ids: [UUID]) async throws -> [UUID: String] {
        let unknown = Array(Set(ids.filter { personNames[$0] == nil }))
        if !unknown.isEmpty {
            let found = try await DirectoryStore.personNames(unknown, on: connection)
            for id in unknown { personNames[id] = .some(found[id]) }
        }
        var result: [UUID: String] = [:]
        for id in ids { if let name = personNames[id] ?? nil { result[id] = name } }
        return result
    }

    func person(_ id: UUID) async throws -> DirectoryStore.Entry? {
        if let known = people[id] { return known }
        let found = try await DirectoryStore.person(id, on: connection)
        people[id] = .some(found)
        return found
    }

    func people(withRole role: PersonRole) async throws -> [DirectoryStore.Entry] {
        if let known = withRole[role] { return known }
        let found = try await DirectoryStore.people(withRole: role, on: connection)
        withRole[role] = found
        return found
    }

    func units(withAnyOf topics: [String]) async throws -> [String] {
        if let known = unitsByTopics[topics] { return known }
        let found = try await DirectoryStore.units(withAnyOf: topics, on: connection)
        unitsByTopics[topics] = found
        return found
    }
}
