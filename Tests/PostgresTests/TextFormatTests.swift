import Foundation
@testable import Postgres
import Testing

/// Parsers and formatters that need no server.
@Suite("Text formats")
struct TextFormatTests {
    func bytes(_ s: String) -> ArraySlice<UInt8> { ArraySlice(Array(s.utf8)) }

    @Test func arrayLiteralParsing() throws {
        #expect(try [String](postgresText: bytes(#"{a,"b c","d\"e","f\\g",""}"#), type: .textArray) == ["a", "b c", "d\"e", "f\\g", ""])
        #expect(try [String](postgresText: bytes("{}"), type: .textArray) == [])
        #expect(throws: PostgresValueError.self) { try [String](postgresText: self.bytes("{a,NULL}"), type: .textArray) }
        #expect(try [String](postgresText: bytes(#"{"NULL"}"#), type: .textArray) == ["NULL"])
    }

    @Test func timestampParsing() throws {
        let date = try Date(postgresText: bytes("2024-05-01 08:30:00.5+05:30"), type: .timestamptz)
        #expect(date.timeIntervalSince1970 == 1_714_532_400.5)
        let old = try Date(postgresText: bytes("1969-12-31 23:59:59.000001+00"), type: .timestamptz)
        #expect((old.timeIntervalSince1970 * 1_000_000).rounded() == -999_999)
    }

    @Test func uuidText() throws {
        for _ in 0..<100 {
            let uuid = UUID()
            var buffer = PostgresEncodingBuffer(bytes: [])
            uuid.encode(into: &buffer)
            #expect(String(decoding: buffer.bytes, as: UTF8.self) == uuid.uuidString.lowercased())
            #expect(try UUID(postgresText: ArraySlice(buffer.bytes), type: .uuid) == uuid)
            #expect(try UUID(postgresText: bytes(uuid.uuidString), type: .uuid) == uuid)
        }
        #expect(throws: PostgresValueError.self) { try UUID(postgresText: self.bytes("0e5b3a7c-2f1d-4c7a-9b1e-6d2f8a9c0b1"), type: .uuid) }
        #expect(throws: PostgresValueError.self) { try UUID(postgresText: self.bytes("0e5b3a7c-2f1d-4c7a-9b1e-6d2f8a9c0b1g"), type: .uuid) }
        #expect(throws: PostgresValueError.self) { try UUID(postgresText: self.bytes("0e5b3a7c2f1d-4c7a-9b1e-6d2f8a9c0b1e0"), type: .uuid) }
    }

    @Test func integerParsing() throws {
        #expect(try Int64(postgresText: bytes("-9223372036854775808"), type: .int8) == .min)
        #expect(throws: PostgresValueError.self) { try Int32(postgresText: self.bytes("2147483648"), type: .int4) }
        #expect(throws: PostgresValueError.self) { try Int(postgresText: self.bytes("12x"), type: .int8) }
    }

    @Test func queryInterpolationBindsParameters() {
        let name: String? = nil
        let query: PostgresQuery = "SELECT * FROM \(identifier: "my\"table") WHERE a = \(1) AND b = \(name)"
        #expect(query.sql == #"SELECT * FROM "my""table" WHERE a = $1 AND b = $2"#)
        #expect(query.bindings.count == 2)
    }

    @Test func appendRenumbersParameters() {
        var query: PostgresQuery = "INSERT INTO t (a, b) VALUES "
        for row in 0..<11 {
            if row > 0 { query.append(", ") }
            query.append("(\(row), \("x"))")
        }
        #expect(query.bindings.count == 22)
        #expect(query.sql.hasPrefix("INSERT INTO t (a, b) VALUES ($1, $2), ($3, $4), ($5, $6)"))
        #expect(query.sql.hasSuffix("($19, $20), ($21, $22)"))
        var outer: PostgresQuery = "SELECT \(1), "
        outer.append(query)
        outer.append(" WHERE \(2) = 2")
        #expect(outer.sql.hasSuffix("($20, $21), ($22, $23) WHERE $24 = 2"))
    }
}
