import CRdKafka

/// Owns an `rd_kafka_topic_partition_list_t` (ours to destroy, whether we
/// created it or librdkafka returned it to us, e.g. `rd_kafka_assignment`).
final class RDPartitionList {
    let pointer: UnsafeMutablePointer<rd_kafka_topic_partition_list_t>

    init(capacity: Int = 0) {
        pointer = rd_kafka_topic_partition_list_new(Int32(capacity))
    }

    init(adopting pointer: UnsafeMutablePointer<rd_kafka_topic_partition_list_t>) {
        self.pointer = pointer
    }

    deinit {
        rd_kafka_topic_partition_list_destroy(pointer)
    }

    func add(topic: String, partition: Int32, offset: Int64? = nil) {
        let element = rd_kafka_topic_partition_list_add(pointer, topic, partition)!
        if let offset { element.pointee.offset = offset }
    }

    struct Entry {
        var topic: String
        var partition: Int32
        var offset: Int64
        var err: rd_kafka_resp_err_t
    }

    var entries: [Entry] {
        (0..<Int(pointer.pointee.cnt)).map { index in
            let element = pointer.pointee.elems[index]
            return Entry(
                topic: String(cString: element.topic), partition: element.partition,
                offset: element.offset, err: element.err)
        }
    }
}
