import Kafka
import Testing

extension KafkaIntegrationTests {
    @Test func keyValueHeadersAndTombstoneSurvive() async throws {
        let topic = try await TestEnv.topic("roundtrip", partitions: 1)
        let producer = try TestEnv.producer()
        let headers = [
            KafkaHeader(key: "ce_id", value: "0b6e1c1e"),
            KafkaHeader(key: "no-value", value: nil as [UInt8]?),
            KafkaHeader(key: "empty", value: []),
            KafkaHeader(key: "单位", value: "房县双拣 ✓"),
        ]
        _ = try await producer.send(KafkaRecord(topic: topic, key: "unit-1", value: "{\"名称\":\"房县\"}", headers: headers))
        let tombstone = try await producer.send(KafkaRecord(topic: topic, key: "unit-1", value: nil))
        let empty = try await producer.send(KafkaRecord(topic: topic, key: Array("unit-2".utf8), value: []))
        await producer.close()
        #expect(tombstone.partition == 0 && empty.offset == tombstone.offset + 1)

        let consumer = try TestEnv.consumer(topic: topic, group: TestEnv.unique("g"))
        let messages = try await collect(consumer, count: 3)
        await consumer.close()

        #expect(messages[0].keyString == "unit-1")
        #expect(messages[0].valueString == "{\"名称\":\"房县\"}")
        #expect(messages[0].headers == headers)
        #expect(messages[0].timestamp != nil)
        #expect(messages[1].keyString == "unit-1")
        #expect(messages[1].value == nil)
        #expect(messages[1].headers.isEmpty)
        #expect(messages[2].value == [])
        #expect(messages.map(\.offset) == [0, 1, 2])
    }

    @Test func perKeyOrderAcrossPartitions() async throws {
        let topic = try await TestEnv.topic("order", partitions: 6)
        let producer = try TestEnv.producer()
        var records: [KafkaRecord] = []
        for sequence in 0..<50 {
            for key in 0..<20 {
                records.append(KafkaRecord(topic: topic, key: "key-\(key)", value: "\(sequence)"))
            }
        }
        let results = await producer.send(records)
        await producer.close()
        let reports = try results.map { try $0.get() }
        #expect(Set(reports.map(\.partition)).count > 1, "keys should spread over partitions")

        let consumer = try TestEnv.consumer(topic: topic, group: TestEnv.unique("g"))
        let messages = try await collect(consumer, count: records.count)
        await consumer.close()

        var sequences: [String: [Int]] = [:]
        for message in messages {
            sequences[message.keyString ?? "", default: []].append(Int(message.valueString ?? "") ?? -1)
        }
        #expect(sequences.count == 20)
        for (key, sequence) in sequences {
            #expect(sequence == Array(0..<50), "order of \(key)")
        }
    }
}
