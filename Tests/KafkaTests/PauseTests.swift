import Kafka
import TestSupport
import Testing

extension KafkaIntegrationTests {
    /// A paused partition delivers nothing while the others go on: a record
    /// sent to an unpaused partition after the paused one's arrives, and the
    /// paused one's does not come before it (a later positive marker rather
    /// than waiting for nothing). After resume it comes.
    @Test func pausedConsumerReceivesNothingUntilResumed() async throws {
        let topic = try await TestEnv.topic("pause", partitions: 2)
        let producer = try TestEnv.producer()
        let consumer = try TestEnv.consumer(topic: topic, group: TestEnv.unique("g"))
        _ = try await producer.send(KafkaRecord(topic: topic, key: nil, value: Array("before".utf8), partition: 0))
        #expect(try await collect(consumer, count: 1).map(\.valueString) == ["before"])
        try await waitUntil("both partitions assigned") { try await consumer.assignment().count == 2 }

        try await consumer.pause(partitions: [(topic, 0)])
        _ = try await producer.send(KafkaRecord(topic: topic, key: nil, value: Array("while paused".utf8), partition: 0))
        _ = try await producer.send(KafkaRecord(topic: topic, key: nil, value: Array("marker".utf8), partition: 1))
        #expect(try await collect(consumer, count: 1).map(\.valueString) == ["marker"])

        try await consumer.resume(partitions: [(topic, 0)])
        let after = try await collect(consumer, count: 1).map(\.valueString)
        #expect(after == ["while paused"], "\(after)")
        await producer.close()
        await consumer.close()
    }

    /// Leaving a `for` loop early keeps the rest of the polled batch for the next loop.
    @Test func aNewIteratorContinuesWhereTheLastStopped() async throws {
        let topic = try await TestEnv.topic("iterate", partitions: 1)
        let producer = try TestEnv.producer()
        let values = (0..<20).map { "m\($0)" }
        for result in await producer.send(values.map { KafkaRecord(topic: topic, key: "k", value: $0) }) {
            _ = try result.get()
        }
        await producer.close()
        let consumer = try TestEnv.consumer(topic: topic, group: TestEnv.unique("g"))
        var seen: [String?] = []
        for _ in 0..<4 {
            seen += try await collect(consumer, count: 5).map(\.valueString)
        }
        #expect(seen == values)
        await consumer.close()
    }
}
