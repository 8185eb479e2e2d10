import Audit
import Domain
import EventFlow
import Foundation
import Kafka
import Logging
import ServiceLifecycle
import Synchronization
import Testing

/// The head publisher against a private dev broker: heads follow appends,
/// an unchanged head is not published again, the last head goes out at
/// graceful shutdown, and what it publishes is a CloudEvent the AsyncAPI
/// document describes.
@Suite(.serialized) struct AuditHeadPublisherTests {
    /// Runs a publisher for `service` in a ServiceGroup (as ServiceBootstrap
    /// does) while `body` runs, then shuts the group down gracefully.
    static func withPublisher(
        service: String, database: AuditDatabase, brokers: String, interval: Duration,
        ticks: TickLog? = nil, _ body: () async throws -> Void
    ) async throws {
        let producer = try KafkaProducer(
            configuration: .eventFlow(brokers: brokers, clientId: service), logger: AuditEnv.logger)
        var afterTick: (@Sendable (PublishedHead?) -> Void)?
        if let ticks { afterTick = { ticks.record($0) } }
        let publisher = AuditHeadPublisher(
            service: service, pool: database.pool, producer: producer, interval: interval, logger: AuditEnv.logger,
            afterTick: afterTick)
        let group = ServiceGroup(configuration: .init(
            services: [ProducerService(producer), publisher], logger: AuditEnv.logger))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            do {
                try await body()
            } catch {
                await group.triggerGracefulShutdown()
                throw error
            }
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
    }

    /// What each periodic tick published, in order.
    final class TickLog: Sendable {
        private let ticks = Mutex<[Int64?]>([])

        func record(_ head: PublishedHead?) { ticks.withLock { $0.append(head?.seq) } }

        /// Waits (up to 30 s) until `count` ticks published nothing after the
        /// one that published `seq`.
        func waitForQuietTicks(_ count: Int, after seq: Int64) async throws {
            let deadline = ContinuousClock.now + .seconds(30)
            while true {
                let quiet = ticks.withLock { ticks -> Int in
                    guard let index = ticks.lastIndex(of: seq) else { return 0 }
                    return ticks[(index + 1)...].filter { $0 == nil }.count
                }
                if quiet >= count { return }
                guard ContinuousClock.now < deadline else { throw TestSupportError("fewer than \(count) quiet ticks after seq \(seq)") }
                try await Task.sleep(for: .milliseconds(50))
            }
        }
    }

    static func heads(_ service: String, _ brokers: String) async throws -> [PublishedHead] {
        let result = try await PublishedHeadReader.read(service: service, settings: KafkaClientSettings(brokers: brokers), timeout: .seconds(10), logger: AuditEnv.logger)
        #expect(result.unreadable.isEmpty, "\(result.unreadable)")
        return result.heads
    }

    /// Reads the service's heads until one for `seq` is there (the positive
    /// marker every wait here ends on), for up to 30 s.
    static func waitForHead(_ service: String, seq: Int64, _ brokers: String) async throws -> [PublishedHead] {
        let deadline = ContinuousClock.now + .seconds(30)
        while true {
            let heads = try await heads(service, brokers)
            if heads.contains(where: { $0.seq == seq }) { return heads }
            guard ContinuousClock.now < deadline else {
                throw TestSupportError("no head for seq \(seq) within 30 s; heads: \(heads.map(\.seq))")
            }
            try await Task.sleep(for: .milliseconds(100))
        }
    }

    @Test func headsFollowAppendsAndAnUnchangedHeadIsNotRepublished() async throws {
        try await withDevBroker { brokers in
            let database = try await AuditDatabase.make()
            let service = AuditEnv.uniqueService()
            let ticks = TickLog()
            try await Self.withPublisher(
                service: service, database: database, brokers: brokers, interval: .milliseconds(100), ticks: ticks
            ) {
                try await database.append(3)
                let chain = try await AuditLog.head(in: database.pool)
                let first = try await Self.waitForHead(service, seq: 3, brokers)
                let head = try #require(first.first { $0.seq == 3 })
                #expect(head.chainId == chain.chainId && head.hash == chain.hashHex && head.service == service)

                try await database.append(2)
                _ = try await Self.waitForHead(service, seq: 5, brokers)
                // The positive marker: three ticks after seq 5 went out that
                // found the head unchanged (and published nothing).
                try await ticks.waitForQuietTicks(3, after: 5)
                try await database.append(1)
                let all = try await Self.waitForHead(service, seq: 6, brokers)
                #expect(all.filter { $0.seq == 5 }.count == 1, "seq 5 published \(all.filter { $0.seq == 5 }.count) times")
                #expect(all.allSatisfy { $0.seq >= 1 }, "an empty chain's head was published")
                let report = try await AuditVerifier.verify(service: service, pool: database.pool, heads: all)
                #expect(report.passed && report.headsChecked == all.count, "\(report.problems)")
            }
            await database.close()
        }
    }

    /// An interval far longer than the test: the only head that can appear
    /// is the one published at graceful shutdown.
    @Test func theLastHeadIsPublishedAtShutdown() async throws {
        try await withDevBroker { brokers in
            let database = try await AuditDatabase.make()
            let service = AuditEnv.uniqueService()
            try await Self.withPublisher(service: service, database: database, brokers: brokers, interval: .seconds(3600)) {
                try await database.append(4)
            }
            let heads = try await Self.heads(service, brokers)
            #expect(heads.map(\.seq) == [4], "heads: \(heads.map(\.seq))")
            let chain = try await AuditLog.head(in: database.pool)
            #expect(heads.first?.hash == chain.hashHex)
            await database.close()
        }
    }

    @Test func aHeadIsACloudEventTheAsyncAPIDocumentDescribes() async throws {
        try await withDevBroker { brokers in
            let database = try await AuditDatabase.make()
            // A real service's name (the document lists them); the broker is this test's own.
            let service = "registry"
            try await Self.withPublisher(service: service, database: database, brokers: brokers, interval: .seconds(3600)) {
                try await database.append(1)
            }
            let admin = try KafkaAdmin(brokers: brokers, logger: AuditEnv.logger)
            let reader = try KafkaPartitionReader(brokers: brokers, groupId: "audit-test-\(UUID())", logger: AuditEnv.logger)
            var messages: [KafkaMessage] = []
            for partition in 0..<(try await admin.partitionCount(of: Topic.auditHeads) ?? 0) {
                let marks = try await admin.watermarks(topic: Topic.auditHeads, partition: partition)
                try await reader.read(topic: Topic.auditHeads, partition: partition, offsets: marks.low..<marks.high) { batch in
                    messages += batch.filter { $0.key == Array(service.utf8) }
                    return true
                }
            }
            await reader.close()
            let message = try #require(messages.first)
            #expect(messages.count == 1)
            var headers: [String: String] = [:]
            for header in message.headers { headers[header.key] = header.value.map { String(decoding: $0, as: UTF8.self) } ?? "" }
            #expect(headers["ce_type"] == "cn.gov.fangxian.shuangjian.audit.head.published.v1")
            #expect(headers["ce_source"] == "/shuangjian/\(service)")
            #expect(headers["content-type"] == "application/json" && headers["ce_datacontenttype"] == nil)
            let json = try JSONSerialization.jsonObject(with: Data(message.value ?? [])) as? [String: Any] ?? [:]
            #expect(Set(json.keys) == ["service", "chainId", "seq", "hash", "publishedAt"])
            let asyncapi = try ContractAsyncAPI(documents: ContractDocuments())
            for problem in try asyncapi.problems(
                topic: message.topic, type: headers["ce_type"] ?? "", key: service, headers: headers,
                subject: headers["ce_subject"], payload: message.value ?? [])
            {
                Issue.record("\(problem)")
            }
            await database.close()
        }
    }
}
