import Foundation

/// What the meetings part needs of the directory (the registry's units and
/// people as this service learns them from the registry's topics): who is
/// expected, what a unit is called, who a person is. The routes and the feed
/// take it injected, so they never read another service's tables directly.
struct MeetingDirectory: Sendable {
    struct Unit: Sendable, Equatable {
        var id: String
        var name: String
        var memberId: UUID?
        var liaisonId: UUID?
    }

    struct Person: Sendable, Equatable {
        var id: UUID
        var name: String
        var unitId: String?
        var isConvener: Bool
    }

    /// The active member units in the registry's order.
    var activeUnits: @Sendable () async throws -> [Unit]
    var person: @Sendable (UUID) async throws -> Person?
}

extension MeetingDirectory {
    /// The unit ids among `ids` that are not active member units.
    func unknownUnits(_ ids: [String]) async throws -> [String] {
        let known = Set(try await activeUnits().map(\.id))
        return ids.filter { !known.contains($0) }
    }
}
