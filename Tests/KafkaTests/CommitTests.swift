import Kafka
import Testing

extension KafkaIntegrationTests {
    @Test func uncommittedIsRedeliveredCommittedIsNot() async throws {
        let topic = try await TestEnv.topic("commit", partitions: 1)
        let group = TestEnv.unique("g")
        let producer = try TestEnv.producer()
        _ = try await producer.send(KafkaRecord(topic: topic, key: "a", value: "first"))

        // Stops without committing: the message must come again.
        let first = try TestEnv.consumer(topic: topic, group: group)
        let seen = try await collect(first, count: 1)
        await first.close()
        #expect(seen.map(\.valueString) == ["first"])

        let second = try TestEnv.consumer(topic: topic, group: group)
        let again = try await collect(second, count: 1)
        #expect(again.map(\.valueString) == ["first"])
        #expect(again.first?.offset == seen.first?.offset)
        try await second.commit(again)
        #expect(try await second.lag().map(\.lag) == [0])
        await second.close()

        // Committed: a restart sees only what came after, up to a later marker.
        _ = try await producer.send(KafkaRecord(topic: topic, key: "a", value: "second"))
        _ = try await producer.send(KafkaRecord(topic: topic, key: "a", value: "marker"))
        await producer.close()
        let third = try TestEnv.consumer(topic: topic, group: group)
        let next = try await collect(third, count: 2)
        #expect(next.map(\.valueString) == ["second", "marker"])
        await third.close()
    }
}
