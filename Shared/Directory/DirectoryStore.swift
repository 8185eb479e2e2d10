import Domain
import Foundation
import Postgres

/// The directory's SQL: upserts that keep the newest registry version, and
/// the reads the services need (a unit, the active units, who is responsible
/// for a duty topic, the conveners, the office). Every read takes the
/// caller's connection, so it sees the caller's transaction.
public enum DirectoryStore {
    // MARK: - Writes (the handlers')

    /// Writes `unit` and its duties if it is new or newer than the stored
    /// row; true when written. `at`: when the event happened, for a payload
    /// without `updatedAt`.
    @discardableResult
    public static func upsert(_ unit: DirectoryUnit, at time: Date, on connection: PostgresConnection) async throws -> Bool {
        let written = try await connection.execute("""
            INSERT INTO directory.units (id, name, status, member_id, liaison_id, topics, version, updated_at)
            VALUES (\(unit.id), \(unit.name), \(unit.status.rawValue), \(unit.memberId), \(unit.liaisonId),
                    \(unit.topics), \(unit.version), \(unit.updatedAt ?? time))
            ON CONFLICT (id) DO UPDATE SET
                name = EXCLUDED.name, status = EXCLUDED.status, member_id = EXCLUDED.member_id,
                liaison_id = EXCLUDED.liaison_id, topics = EXCLUDED.topics, version = EXCLUDED.version,
                updated_at = EXCLUDED.updated_at
            WHERE directory.units.version < EXCLUDED.version
            """) > 0
        guard written else { return false }
        try await connection.execute("DELETE FROM directory.duties WHERE unit_id = \(unit.id)")
        for (position, duty) in unit.duties.enumerated() {
            try await connection.execute("""
                INSERT INTO directory.duties (unit_id, id, position, text, topics, role, partner_unit_ids, source_duty_id)
                VALUES (\(unit.id), \(duty.id), \(position), \(duty.text), \(duty.topics), \(duty.role),
                        \(duty.partnerUnitIds), \(duty.sourceDutyId))
                ON CONFLICT (unit_id, id) DO NOTHING
                """)
        }
        return true
    }

    @discardableResult
    public static func upsert(_ person: DirectoryPerson, at time: Date, on connection: PostgresConnection) async throws -> Bool {
        try await connection.execute("""
            INSERT INTO directory.people (id, unit_id, name, title, roles, version, updated_at)
            VALUES (\(person.id), \(person.unitId), \(person.name), \(person.title), \(person.roles), \(person.version),
                    \(person.updatedAt ?? time))
            ON CONFLICT (id) DO UPDATE SET
                unit_id = EXCLUDED.unit_id, name = EXCLUDED.name, title = EXCLUDED.title, roles = EXCLUDED.roles,
                version = EXCLUDED.version, updated_at = EXCLUDED.updated_at
            WHERE directory.people.version < EXCLUDED.version
            """) > 0
    }

    // MARK: - Units

    /// The unit, active or removed, with its duties; nil if the directory does not know it.
    public static func unit(_ id: String, on connection: PostgresConnection) async throws -> DirectoryUnit? {
        try await units([id], on: connection).first
    }

    /// The units among `ids` the directory knows, in the directory's order.
    public static func units(_ ids: [String], on connection: PostgresConnection) async throws -> [DirectoryUnit] {
        guard !ids.isEmpty else { return [] }
        let rows = try await connection.query("""
            SELECT id, name, status, member_id, liaison_id, version, updated_at
            FROM directory.units WHERE id = ANY(\(ids)) ORDER BY ordinal
            """)
        return try await withDuties(rows, on: connection)
    }

    /// Every active unit, in the order the registry published them (the notice's order).
    public static func activeUnits(on connection: PostgresConnection) async throws -> [DirectoryUnit] {
        let rows = try await connection.query("""
            SELECT id, name, status, member_id, liaison_id, version, updated_at
            FROM directory.units WHERE status = 'active' ORDER BY ordinal
            """)
        return try await withDuties(rows, on: connection)
    }

    /// The active units with a duty on `topic`: those leading one first, then
    /// those that only assist, each group in the directory's order — the
    /// answer the registry's `Responsibility` gives, from the directory.
    public static func responsibleUnits(for topic: DutyTopic, on connection: PostgresConnection) async throws -> [ResponsibleUnit] {
        try await connection.query("""
            SELECT u.id, u.name, bool_or(d.role = 'lead') AS leads
            FROM directory.units u JOIN directory.duties d ON d.unit_id = u.id
            WHERE u.status = 'active' AND \(topic.rawValue) = ANY(d.topics)
            GROUP BY u.id, u.name, u.ordinal
            ORDER BY bool_or(d.role = 'lead') DESC, u.ordinal
            """).map { row in
            let (id, name, leads) = try row.decode((String, String, Bool).self)
            return ResponsibleUnit(unitId: id, name: name, role: leads ? .lead : .assisting)
        }
    }

    /// `responsibleUnits(for:)` of several topics in one query, by topic (a
    /// topic no active unit holds is absent).
    public static func responsibleUnits(
        for topics: [DutyTopic], on connection: PostgresConnection
    ) async throws -> [DutyTopic: [ResponsibleUnit]] {
        guard !topics.isEmpty else { return [:] }
        var units: [DutyTopic: [ResponsibleUnit]] = [:]
        for row in try await connection.query("""
            SELECT t.topic, u.id, u.name, bool_or(d.role = 'lead') AS leads
            FROM unnest(\(topics.map(\.rawValue))) AS t(topic)
            JOIN directory.duties d ON t.topic = ANY(d.topics)
            JOIN directory.units u ON u.id = d.unit_id
            WHERE u.status = 'active'
            GROUP BY t.topic, u.id, u.name, u.ordinal
            ORDER BY t.topic, bool_or(d.role = 'lead') DESC, u.ordinal
            """) {
            let (topic, id, name, leads) = try row.decode((String, String, String, Bool).self)
            guard let topic = DutyTopic(rawValue: topic) else { continue }
            units[topic, default: []].append(ResponsibleUnit(unitId: id, name: name, role: leads ? .lead : .assisting))
        }
        return units
    }

    /// Unit id → name for those of `ids` the directory knows.
    public static func unitNames(_ ids: [String], on connection: PostgresConnection) async throws -> [String: String] {
        guard !ids.isEmpty else { return [:] }
        var names: [String: String] = [:]
        for row in try await connection.query("SELECT id, name FROM directory.units WHERE id = ANY(\(ids))") {
            let (id, name) = try row.decode((String, String).self)
            names[id] = name
        }
        return names
    }

    // MARK: - People

    public static func person(_ id: UUID, on connection: PostgresConnection) async throws -> DirectoryPerson? {
        try await connection.query("""
            SELECT id, name, unit_id, title, roles, version, updated_at FROM directory.people WHERE id = \(id)
            """).first.map(person)
    }

    /// Everyone holding `role`, by name.
    public static func people(withRole role: PersonRole, on connection: PostgresConnection) async throws -> [DirectoryPerson] {
        try await connection.query("""
            SELECT id, name, unit_id, title, roles, version, updated_at FROM directory.people
            WHERE \(role.rawValue) = ANY(roles) ORDER BY name, id
            """).map(person)
    }

    /// 召集人.
    public static func conveners(on connection: PostgresConnection) async throws -> [DirectoryPerson] {
        try await people(withRole: .convener, on: connection)
    }

    /// The 协调机制办公室's staff.
    public static func officePeople(on connection: PostgresConnection) async throws -> [DirectoryPerson] {
        try await people(withRole: .office, on: connection)
    }

    /// The people of one unit, by name.
    public static func people(inUnit unitId: String, on connection: PostgresConnection) async throws -> [DirectoryPerson] {
        try await connection.query("""
            SELECT id, name, unit_id, title, roles, version, updated_at FROM directory.people
            WHERE unit_id = \(unitId) ORDER BY name, id
            """).map(person)
    }

    // MARK: - Rows

    private static func withDuties(_ rows: PostgresRows, on connection: PostgresConnection) async throws -> [DirectoryUnit] {
        var units = try rows.map { row in
            let (id, name, status, memberId, liaisonId, version, updatedAt) =
                try row.decode((String, String, String, UUID?, UUID?, Int, Date).self)
            return DirectoryUnit(
                id: id, name: name, status: DirectoryUnitStatus(rawValue: status) ?? .active, memberId: memberId,
                liaisonId: liaisonId, version: version, updatedAt: updatedAt)
        }
        guard !units.isEmpty else { return [] }
        var duties: [String: [DirectoryDuty]] = [:]
        for row in try await connection.query("""
            SELECT unit_id, id, text, topics, role, partner_unit_ids, source_duty_id FROM directory.duties
            WHERE unit_id = ANY(\(units.map(\.id))) ORDER BY unit_id, position
            """) {
            let (unitId, id, text, topics, role, partners, source) =
                try row.decode((String, String, String, [String], String, [String], String?).self)
            var duty = DirectoryDuty(id: id, text: text, topics: topics, partnerUnitIds: partners, sourceDutyId: source)
            duty.role = role
            duties[unitId, default: []].append(duty)
        }
        for index in units.indices { units[index].duties = duties[units[index].id] ?? [] }
        return units
    }

    private static func person(_ row: PostgresRow) throws -> DirectoryPerson {
        let (id, name, unitId, title, roles, version, updatedAt) =
            try row.decode((UUID, String, String?, String?, [String], Int, Date).self)
        return DirectoryPerson(id: id, name: name, unitId: unitId, title: title, roles: roles, version: version, updatedAt: updatedAt)
    }
}

/// A unit answering for a duty topic, and its part in it.
public struct ResponsibleUnit: Sendable, Equatable, Codable {
    public var unitId: String
    public var name: String
    public var role: DutyRole
    public init(unitId: String, name: String, role: DutyRole) {
        self.unitId = unitId
        self.name = name
        self.role = role
    }
}
