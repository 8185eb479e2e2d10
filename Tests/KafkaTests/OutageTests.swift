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
        // A marker after everything on each partition: reading up to all three
        // shows every copy there is, without waiting for nothing to come.
        let markers = (0..<Int32(3)).map { KafkaRecord(topic: topic, key: nil, value: Array("end-\($0)".utf8), partition: $0) }
        for result in await producer.send(markers) { _ = try result.get() }
        await producer.close()

        let consumer = try TestEnv.consumer(topic: topic, group: TestEnv.unique("g"))
        var messages: [KafkaMessage] = []
        while messages.compactMap(\.valueString).filter({ $0.hasPrefix("end-") }).count < 3 {
            messages += try await collect(consumer, count: 1, timeout: .seconds(60))
        }
        await consumer.close()
        let values = messages.compactMap(\.valueString).filter { !$0.hasPrefix("end-") }
        #expect(values.count == 50, "no duplicates")
        #expect(Set(values) == Set((0..<20).map { "before-\($0)" } + (0..<30).map { "during-\($0)" }))
    }
}
