import Kafka
import Testing

extension KafkaIntegrationTests {
    @Test func pausedConsumerReceivesNothingUntilResumed() async throws {
        let topic = try await TestEnv.topic("pause", partitions: 2)
        let producer = try TestEnv.producer()
        let consumer = try TestEnv.consumer(topic: topic, group: TestEnv.unique("g"))
        _ = try await producer.send(KafkaRecord(topic: topic, key: "a", value: "before"))
        #expect(try await collect(consumer, count: 1).map(\.valueString) == ["before"])

        try await consumer.pause()
        _ = try await producer.send(KafkaRecord(topic: topic, key: "a", value: "while paused"))
        #expect(try await drain(consumer, for: .seconds(1)).isEmpty)

        try await consumer.resume()
        #expect(try await collect(consumer, count: 1).map(\.valueString) == ["while paused"])
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
