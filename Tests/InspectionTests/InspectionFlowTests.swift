import Domain
import EventFlow
import Foundation
import Kafka
import ServiceKit
import Testing

/// County signals across processes: a county system's records on Kafka (binary
/// and structured mode) and its `POST /v1/signals` reach the one apply
/// function of a real inspection service; a signal sent both ways is applied
/// once, an invalid record is a dead letter with its reason, and the warning
/// its subject's score raises is published on `shuangjian.inspection.warnings`.
@Suite(.serialized) struct InspectionFlowTests {
    static let office = Principal(subject: "office-1", role: .office)
    static let county = Principal(subject: "county-12345", role: .countySystem)

    @Test func signalsFromKafkaAndHTTPRaiseAWarningOnceEach() async throws {
        let world = try await ServiceWorld.start()
        defer { world.stop() }
        try await world.launch("inspection")
        let producer = try KafkaProducer(configuration: KafkaProducerConfiguration(brokers: world.brokers), logger: ServiceWorld.logger)
        defer { Task { await producer.close() } }

        // The registry's units and the institution, as the registry publishes them.
        let institutionId = UUID()
        var registry = Fixture.units.map { $0.kafkaRecord(topic: Topic.registryUnits, key: "unit") }
        registry.append(Fixture.institutionEvent(id: institutionId).kafkaRecord(topic: Topic.registryInstitutions, key: "i"))
        for result in await producer.send(registry) { _ = try result.get() }
        let database = world.pool("inspection")
        try await waitUntil("the inspection service knows the institution and the units", timeout: .seconds(60)) {
            try await database.query("SELECT (SELECT count(*) FROM registry_institutions) + (SELECT count(*) FROM directory.units)")[0]
                .decode(0, as: Int.self) == 4
        }

        let concerns: [String: Any] = ["institution": ["creditCode": Fixture.creditCode, "name": "房县启航培训学校"]]
        let now = Date()
        // Binary mode.
        let binary = Fixture.event(EventType.hotlineComplaintReceived, Fixture.complaint(about: concerns, at: now, n: 1),
                                   id: "ticket-1", source: Fixture.hotline)
        // Structured mode: the whole event as one JSON object.
        let structured: [String: Any] = [
            "specversion": "1.0", "id": "ticket-2", "source": Fixture.hotline, "type": EventType.hotlineComplaintReceived,
            "datacontenttype": "application/json", "data": Fixture.complaint(about: concerns, at: now, n: 2),
        ]
        // Invalid: it names two subjects.
        let invalid = Fixture.event(
            EventType.hotlineComplaintReceived,
            Fixture.complaint(about: ["school": ["name": "房县第一中学"], "topic": "homework"], at: now, n: 3),
            id: "ticket-3", source: Fixture.hotline)
        for result in await producer.send([
            binary.kafkaRecord(topic: Topic.countyEvents, key: "ticket-1"),
            KafkaRecord(topic: Topic.countyEvents, key: Array("ticket-2".utf8),
                        value: Array(try JSONSerialization.data(withJSONObject: structured)),
                        headers: [KafkaHeader(key: "content-type", value: Array("application/cloudevents+json".utf8))]),
            invalid.kafkaRecord(topic: Topic.countyEvents, key: "ticket-3"),
        ]) { _ = try result.get() }

        let office = try world.token(Self.office)
        try await waitUntil("both valid signals are applied", timeout: .seconds(60)) {
            (try await world.request("inspection", "GET", "/v1/signals", token: office).json["total"] as? Int) == 2
        }
        // The same signal over HTTP is not applied again.
        let county = try world.token(Self.county)
        var submission = structured
        submission["id"] = "ticket-1"
        submission["data"] = Fixture.complaint(about: concerns, at: now, n: 1)
        let again = try await world.request("inspection", "POST", "/v1/signals", token: county, json: submission)
        #expect(again.status == 200, "\(again.text)")
        #expect(again.json["duplicate"] as? Bool == true)
        #expect((again.json["signal"] as? [String: Any])?["via"] as? String == "kafka")

        // Two complaints about one institution: a blue warning, the supervising unit leading.
        let warnings = try await world.request("inspection", "GET", "/v1/warnings", token: office)
        let warning = try #require((warnings.json["items"] as? [[String: Any]])?.first)
        #expect(warning["level"] as? String == "blue")
        #expect(((warning["responsibleUnits"] as? [[String: Any]])?.first)?["unitId"] as? String == "education-bureau")
        let warningId = try #require(warning["id"] as? String)
        // A unit token sees its own unit's warnings only.
        let own = try await world.request("inspection", "GET", "/v1/warnings/\(warningId)", token: try world.token(
            Principal(subject: "liaison-education", role: .unit, unitId: "education-bureau")))
        #expect(own.status == 200)
        let other = try await world.request("inspection", "GET", "/v1/warnings", token: try world.token(
            Principal(subject: "liaison-finance", role: .unit, unitId: "finance-bureau")))
        #expect(other.json["total"] as? Int == 0)

        // The office confirms it; raised and confirmed are published, keyed by the warning.
        let confirmed = try await world.request("inspection", "POST", "/v1/warnings/\(warningId)/confirm", token: office,
                                                json: ["note": "经研判，情况属实"])
        #expect(confirmed.status == 200 && confirmed.json["status"] as? String == "confirmed")
        let published = try await Self.read(world, topic: Topic.inspectionWarnings, until: 2)
        #expect(published.map { $0.header("ce_type").flatMap(\.value).map { String(decoding: $0, as: UTF8.self) } }
            == [EventType.warningRaised, EventType.warningConfirmed])
        #expect(published.allSatisfy { $0.key.map { String(decoding: $0, as: UTF8.self) } == warningId.lowercased() })

        // The invalid record is a dead letter naming what is wrong.
        let dead = try await Self.read(world, topic: Topic.deadLetter(of: Topic.countyEvents, group: "inspection"), until: 1)
        let reason = dead.first?.header("dlq-error").flatMap(\.value).map { String(decoding: $0, as: UTF8.self) } ?? ""
        #expect(reason.contains("concerns: must name exactly one of institution, school, unitId, topic"), "\(reason)")
        await database.close()
    }

    /// The first `count` records of `topic`, in offset order.
    static func read(_ world: ServiceWorld, topic: String, until count: Int) async throws -> [KafkaMessage] {
        var configuration = KafkaConsumerConfiguration(brokers: world.brokers, groupId: "inspection-test-\(UUID().uuidString)", topics: [topic])
        configuration.properties["session.timeout.ms"] = "6000"
        let consumer = try KafkaConsumer(configuration: configuration, logger: ServiceWorld.logger)
        var found: [KafkaMessage] = []
        let deadline = ContinuousClock.now + .seconds(60)
        while found.count < count && ContinuousClock.now < deadline {
            guard let batch = try await consumer.nextBatch() else { break }
            found += batch
        }
        await consumer.close()
        return found.sorted { ($0.partition, $0.offset) < ($1.partition, $1.offset) }
    }
}
