import EventFlow
import Foundation
import Kafka
import Testing

/// The envelope of DESIGN.md §3: binary mode out; binary and structured in.
@Suite struct CloudEventTests {
    func message(_ record: KafkaRecord) -> KafkaMessage {
        KafkaMessage(topic: record.topic, partition: 0, offset: 7, key: record.key, value: record.value, headers: record.headers, timestamp: nil)
    }

    @Test func binaryModeRoundTrip() throws {
        let time = Date(timeIntervalSince1970: 1_764_000_000.25)
        let event = CloudEvent(
            id: "0b5c", source: "/shuangjian/registry", type: "cn.gov.fangxian.shuangjian.registry.unit.admitted.v1",
            subject: "units/7", time: time, data: Array(#"{"name":"县教育局"}"#.utf8), extensions: ["traceparent": "00-abc-def-01"])
        let record = event.kafkaRecord(topic: "shuangjian.registry.units", key: "7")
        let names = record.headers.map(\.key)
        #expect(names.contains("ce_specversion") && names.contains("content-type") && names.contains("ce_traceparent"))
        #expect(!names.contains("ce_datacontenttype"))
        #expect(record.key == Array("7".utf8))
        #expect(try CloudEvent(message: message(record)) == event)
    }

    @Test func structuredModeIsAccepted() throws {
        let value = #"""
        {"specversion":"1.0","id":"e-1","source":"/county/school-safety","type":"cn.gov.fangxian.county.fire.inspected.v1",
         "time":"2026-11-27T11:26:16+08:00","datacontenttype":"application/json","data":{"school":"房县一中","passed":false}}
        """#
        let record = KafkaRecord(
            topic: "county.events", key: Array("x".utf8), value: Array(value.utf8),
            headers: [KafkaHeader(key: "content-type", value: "application/cloudevents+json; charset=utf-8")])
        let event = try CloudEvent(message: message(record))
        #expect(event.id == "e-1")
        #expect(event.type == "cn.gov.fangxian.county.fire.inspected.v1")
        #expect(event.time == Date(timeIntervalSince1970: 1_795_749_976))
        let data = try JSONSerialization.jsonObject(with: Data(event.data)) as? [String: Any]
        #expect(data?["school"] as? String == "房县一中")
    }

    struct InvalidCase: Sendable, CustomTestStringConvertible {
        var headers: [String: String]
        var value: String
        var expected: String
        var testDescription: String { expected }
    }

    static let complete: [String: String] = ["ce_specversion": "1.0", "ce_id": "1", "ce_source": "/x", "ce_type": "t"]

    static func without(_ name: String) -> [String: String] { complete.filter { $0.key != name } }

    static let invalidCases: [InvalidCase] = [
        InvalidCase(headers: without("ce_type"), value: "{}", expected: "type"),
        InvalidCase(headers: without("ce_id"), value: "{}", expected: "id"),
        InvalidCase(headers: without("ce_source"), value: "{}", expected: "source"),
        InvalidCase(headers: without("ce_specversion"), value: "{}", expected: "specversion"),
        InvalidCase(headers: complete.merging(["ce_specversion": "0.3"]) { $1 }, value: "{}", expected: "specversion"),
        InvalidCase(headers: complete, value: "not json", expected: "JSON"),
        InvalidCase(headers: complete.merging(["ce_time": "yesterday"]) { $1 }, value: "{}", expected: "RFC 3339"),
    ]

    @Test(arguments: invalidCases)
    func invalidRecordsNameWhatIsWrong(_ invalid: InvalidCase) {
        let headers = invalid.headers.sorted { $0.key < $1.key }.map { KafkaHeader(key: $0.key, value: $0.value) }
        let record = KafkaRecord(topic: "t", key: nil, value: Array(invalid.value.utf8), headers: headers)
        do {
            _ = try CloudEvent(message: message(record))
            Issue.record("accepted an invalid record")
        } catch {
            #expect(error.description.contains(invalid.expected), "\(error)")
        }
    }

    @Test func aTombstoneIsInvalidNotACrash() {
        let headers = Self.complete.map { KafkaHeader(key: $0.key, value: $0.value) }
        let record = KafkaRecord(topic: "t", key: nil, value: nil, headers: headers)
        #expect(throws: InvalidEventError.self) { _ = try CloudEvent(message: message(record)) }
    }
}

@Suite struct RFC3339Tests {
    @Test func formatIsStableThroughParse() throws {
        for _ in 0..<1_000 {
            let date = Date(timeIntervalSince1970: Double.random(in: 1_700_000_000...1_900_000_000))
            let text = RFC3339.format(date)
            #expect(text.count == 24 && text.hasSuffix("Z"), "\(text)")
            let parsed = try #require(RFC3339.parse(text))
            #expect(RFC3339.format(parsed) == text)
        }
        #expect(RFC3339.format(Date(timeIntervalSince1970: 1_795_749_976.345)) == "2026-11-27T03:26:16.345Z")
        #expect(RFC3339.parse("2026-11-27T11:26:16+08:00") == Date(timeIntervalSince1970: 1_795_749_976))
    }

    /// The arithmetic formatter writes what Foundation's ISO 8601 style
    /// writes, over four centuries either side of 1970 (leap days, 1900,
    /// 2000, 2100, times before the epoch), and the exact parser reads it back.
    @Test func formatAgreesWithFoundationAndParsesExactly() throws {
        // Foundation's whole seconds; the milliseconds in integers (its own
        // fraction would write 16.34499… as .344).
        func foundation(_ instant: Double) -> String {
            let milliseconds = Int64((instant * 1000).rounded())
            let seconds = Int64((Double(milliseconds) / 1000).rounded(.down))
            let fraction = milliseconds - seconds * 1000
            return Date.ISO8601FormatStyle().format(Date(timeIntervalSince1970: Double(seconds))).dropLast()
                + "." + String(String(fraction + 1000).dropFirst()) + "Z"
        }
        var instants: [Double] = [0, -0.001, -86_400, 951_782_400, 4_107_542_399.999, -2_208_988_800, 946_684_799.9995]
        for _ in 0..<5_000 { instants.append((Double.random(in: -12_000_000_000...12_000_000_000) * 1000).rounded() / 1000) }
        for instant in instants {
            let date = Date(timeIntervalSince1970: instant)
            let text = RFC3339.format(date)
            #expect(text == foundation(instant), "\(instant)")
            let parsed = try #require(RFC3339.parseExactly(text), "\(text)")
            #expect(RFC3339.format(parsed) == text)
        }
        #expect(RFC3339.parseExactly("2026-11-27t11:26:16.5-19:24") == Date(timeIntervalSince1970: 1_795_749_976.5 + 8 * 3600 + (19 * 60 + 24) * 60))
    }
}
