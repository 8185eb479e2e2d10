import Kafka
import TestSupport
import Testing

extension KafkaIntegrationTests {
    @Test func secondConsumerTakesOverWhenFirstLeaves() async throws {
        let topic = try await TestEnv.topic("rebalance", partitions: 4)
        let group = TestEnv.unique("g")
        let first = try TestEnv.consumer(topic: topic, group: group)
        let second = try TestEnv.consumer(topic: topic, group: group)
        let firstBox = MessageBox()
        let secondBox = MessageBox()
        // Both iterate (polling drives the group protocol).
        let firstTask = Task { for try await message in first { await firstBox.append(message) } }
        let secondTask = Task { for try await message in second { await secondBox.append(message) } }

        // Wait until the group has split the partitions between the two.
        try await waitUntil("condition", timeout: .seconds(30)) {
            let a = try await first.assignment().count
            let b = try await second.assignment().count
            return a > 0 && b > 0 && a + b == 4
        }

        firstTask.cancel()
        _ = await firstTask.result
        await first.close()
        try await waitUntil("condition", timeout: .seconds(30)) { try await second.assignment().count == 4 }

        let producer = try TestEnv.producer()
        let records = (0..<40).map { KafkaRecord(topic: topic, key: "k\($0)", value: "v\($0)") }
        for result in await producer.send(records) { _ = try result.get() }
        await producer.close()

        try await waitUntil("condition", timeout: .seconds(30)) { await secondBox.messages.count >= 40 }
        secondTask.cancel()
        _ = await secondTask.result
        await second.close()
        #expect(Set(await secondBox.messages.compactMap(\.valueString)) == Set(records.compactMap { $0.value.map { String(decoding: $0, as: UTF8.self) } }))
        #expect(await firstBox.messages.isEmpty)
    }
}


