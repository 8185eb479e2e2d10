import Kafka
import Testing

/// Senders serve delivery reports themselves while they enqueue, and the
/// poll thread stands down meanwhile (InlinePolling). These check the
/// hand-off never strands a report: every send returns, whatever the mix.
extension KafkaIntegrationTests {
    /// Overlapping single sends keep some sender active most of the time;
    /// each must still get its own report (served by a sender on its way out,
    /// or by the poll thread once no sender is active).
    @Test func overlappingSingleSendsAllGetTheirReports() async throws {
        let topic = try await TestEnv.topic("inline-single", partitions: 3)
        let producer = try TestEnv.producer()
        let offsets = try await withThrowingTaskGroup(of: [Int64].self) { group in
            for task in 0..<8 {
                group.addTask {
                    var offsets: [Int64] = []
                    for i in 0..<100 {
                        let report = try await producer.send(
                            KafkaRecord(topic: topic, key: nil, value: Array("\(task)-\(i)".utf8), partition: 0))
                        offsets.append(report.offset)
                    }
                    return offsets
                }
            }
            return try await group.reduce(into: []) { $0 += $1 }
        }
        await producer.close()
        // One partition: 800 distinct offsets, each send got its own report.
        #expect(Set(offsets).count == 800)
    }

    /// Several large batches at once against a tiny local queue: senders
    /// leave inline serving while they wait for room, so the poll thread (or
    /// another sender) frees it; none fails and none is left waiting.
    @Test func concurrentBatchesOnAFullQueueAllComplete() async throws {
        let topic = try await TestEnv.topic("inline-batches", partitions: 3)
        let producer = try TestEnv.producer { $0.properties["queue.buffering.max.messages"] = "50" }
        let failures = await withTaskGroup(of: Int.self) { group in
            for task in 0..<4 {
                group.addTask {
                    let records = (0..<2_000).map { KafkaRecord(topic: topic, key: "k\($0 % 7)", value: "\(task)-\($0)") }
                    return await producer.send(records).filter { if case .failure = $0 { true } else { false } }.count
                }
            }
            return await group.reduce(0, +)
        }
        await producer.close()
        #expect(failures == 0)
    }
}
