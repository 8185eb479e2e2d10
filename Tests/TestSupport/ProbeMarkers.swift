import EventFlow
import Foundation
import Kafka
import Logging

/// A positive end instead of waiting "long enough" for nothing more to
/// happen: one marker event (a key of its own) on each partition of the
/// probe's topic, sent after everything else. Once a consumer applied them
/// all, it has handled every record before them on every partition.
public enum ProbeMarkers {
    /// The probe's item event, which EventFlowProbe applies (keyed, versioned).
    static let type = "cn.gov.fangxian.shuangjian.probe.item.changed.v1"

    /// Sends the markers; returns their event ids.
    public static func send(topic: String, partitions: Int, brokers: String, logger: Logger) async throws -> [String] {
        let producer = try KafkaProducer(configuration: KafkaProducerConfiguration(brokers: brokers), logger: logger)
        var ids: [String] = []
        var records: [KafkaRecord] = []
        for partition in 0..<Int32(partitions) {
            let key = "marker-\(UUID().uuidString.prefix(8).lowercased())"
            let id = UUID().uuidString.lowercased()
            ids.append(id)
            var record = CloudEvent(
                id: id, source: "/test-marker", type: type, time: Date(), data: Array(#"{"key":"\#(key)","version":1}"#.utf8)
            ).kafkaRecord(topic: topic, key: key)
            record.partition = partition
            records.append(record)
        }
        let results = await producer.send(records)
        await producer.close()
        for result in results { _ = try result.get() }
        return ids
    }
}
