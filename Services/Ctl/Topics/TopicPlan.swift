import Domain
import Kafka

/// The catalog (`TopicCatalog`: every event topic and every consumer
/// group's dead-letter topics) against what a cluster has: pure, so the
/// logic of `sjctl topics create|list` is tested without a cluster (the
/// local broker cannot create topics through the Kafka protocol).
struct TopicPlan: Equatable {
    enum State: Equatable {
        /// In the catalog and in the cluster, with this many partitions.
        case present(partitions: Int32)
        /// In the catalog, not in the cluster.
        case missing
        /// In the cluster only (internal `__*` topics left out).
        case notInCatalog(partitions: Int32)
    }

    struct Row: Equatable {
        var topic: String
        var state: State
        /// For a present topic with fewer partitions than asked for: why it is left so.
        var note: String?
    }

    var rows: [Row]
    /// What `create` asks the cluster for: each missing topic with the
    /// requested partitions and replication factor and its catalog configs.
    var toCreate: [KafkaTopicSpec]

    /// - Parameters:
    ///   - existing: topic name → partition count, from cluster metadata.
    ///   - partitions, replicationFactor: for topics to create (-1: the broker's default).
    init(catalog: TopicCatalog, existing: [String: Int32], partitions: Int32, replicationFactor: Int16) {
        var rows: [Row] = []
        var toCreate: [KafkaTopicSpec] = []
        for entry in catalog.entries {
            if let count = existing[entry.name] {
                let note = partitions > 0 && count < partitions
                    ? "has \(count) partitions, fewer than --partitions \(partitions); left as it is (more partitions move keys to other partitions)"
                    : nil
                rows.append(Row(topic: entry.name, state: .present(partitions: count), note: note))
            } else {
                rows.append(Row(topic: entry.name, state: .missing))
                toCreate.append(KafkaTopicSpec(
                    name: entry.name, partitions: partitions, replicationFactor: replicationFactor, configs: entry.configs))
            }
        }
        let expected = Set(catalog.names)
        for (name, count) in existing.sorted(by: { $0.key < $1.key }) where !expected.contains(name) && !name.hasPrefix("__") {
            rows.append(Row(topic: name, state: .notInCatalog(partitions: count)))
        }
        self.rows = rows
        self.toCreate = toCreate
    }

    var missing: [String] { rows.filter { $0.state == .missing }.map(\.topic) }

    /// One line per topic: name, partitions, state (and the note, if any).
    func table() -> [String] {
        let width = max(5, rows.map(\.topic.count).max() ?? 0)
        var lines = ["TOPIC".padding(toLength: width, withPad: " ", startingAt: 0) + "  PARTITIONS  STATE"]
        for row in rows {
            let (partitions, state): (String, String) =
                switch row.state {
                case .present(let count): (String(count), "ok")
                case .missing: ("-", "missing")
                case .notInCatalog(let count): (String(count), "not in the catalog")
                }
            var line = row.topic.padding(toLength: width, withPad: " ", startingAt: 0) + "  "
                + partitions.padding(toLength: 10, withPad: " ", startingAt: 0) + "  " + state
            if let note = row.note { line += " (\(note))" }
            lines.append(line)
        }
        return lines
    }
}
