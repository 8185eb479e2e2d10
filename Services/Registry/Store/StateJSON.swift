import EventFlow
import Foundation
import Postgres

/// Aggregates are stored as the JSON their events carry (`state` columns),
/// with the same coder, so the table, the API and the topic agree.
enum StateJSON {
    static func encode<T: Encodable>(_ value: T) throws -> String {
        String(decoding: try EventJSON.encoder.encode(value), as: UTF8.self)
    }

    static func decode<T: Decodable>(_ text: String, as type: T.Type = T.self) throws -> T {
        try EventJSON.decoder.decode(T.self, from: Data(text.utf8))
    }
}

extension PostgresRows {
    /// The aggregates of a `SELECT state::text …`, one per row.
    func states<T: Decodable>(_ type: T.Type = T.self) throws -> [T] {
        try map { try StateJSON.decode($0.decode(0, as: String.self)) }
    }

    /// The aggregate of the first row, if any.
    func state<T: Decodable>(_ type: T.Type = T.self) throws -> T? {
        try first.map { try StateJSON.decode($0.decode(0, as: String.self)) }
    }
}
