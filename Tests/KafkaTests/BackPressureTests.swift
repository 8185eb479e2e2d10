import Kafka
import Testing

extension KafkaIntegrationTests {
    /// librdkafka's queue holds 100 messages; 10,000 in one batch must wait
    /// for room rather than fail with QUEUE_FULL.
    @Test func fullLocalQueueWaitsInsteadOfFailing() async throws {
        let topic = try await TestEnv.topic("backpressure", partitions: 3)
        let producer = try TestEnv.producer { $0.properties["queue.buffering.max.messages"] = "100" }
        let records = (0..<10_000).map { KafkaRecord(topic: topic, key: "k\($0 % 50)", value: "\($0)") }
        let results = await producer.send(records)
        await producer.close()
        let failures = results.compactMap { result -> KafkaError? in
            if case .failure(let error) = result { return error }
            return nil
        }
        #expect(failures.isEmpty, "\(failures.prefix(3))")
        #expect(results.count == 10_000)
    }
}
