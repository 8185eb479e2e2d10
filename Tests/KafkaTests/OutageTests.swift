import Kafka
import Testing

extension KafkaIntegrationTests {
    @Test func messagesSentWhileBrokerIsDownArriveOnceWhenItIsUp() async throws {
        let control = try TestEnv.control()
        let topic = try await TestEnv.topic("outage", partitions: 3)
        let producer = try TestEnv.producer()
        for result in await producer.send((0..<20).map { KafkaRecord(topic: topic, key: "k\($0 % 5)", value: "before-\($0)") }) {
            _ = try result.get()
        }

        try await control.brokerDown(1)
        let during = Task {
            await producer.send((0..<30).map { KafkaRecord(topic: topic, key: "k\($0 % 5)", value: "during-\($0)") })
        }
        try await Task.sleep(for: .seconds(2))
        try await control.brokerUp(1)
        let results = await during.value
        for result in results { _ = try result.get() }
        await producer.close()

        let consumer = try TestEnv.consumer(topic: topic, group: TestEnv.unique("g"))
        var messages = try await collect(consumer, count: 50, timeout: .seconds(60))
        messages += try await drain(consumer, for: .seconds(1))
        await consumer.close()
        let values = messages.compactMap(\.valueString)
        #expect(values.count == 50, "no duplicates")
        #expect(Set(values) == Set((0..<20).map { "before-\($0)" } + (0..<30).map { "during-\($0)" }))
    }
}
