import ArgumentParser
import EventFlow
import Foundation

/// `sjctl replay --from`: a time, an offset in every partition, or one partition's offset.
enum ReplayStart: Equatable, CustomStringConvertible {
    case time(Date)
    case offset(Int64)
    case partitionOffset(partition: Int32, offset: Int64)

    init(parsing text: String) throws {
        if let offset = Int64(text), offset >= 0 {
            self = .offset(offset)
            return
        }
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        if parts.count == 2, let partition = Int32(parts[0]), let offset = Int64(parts[1]), partition >= 0, offset >= 0 {
            self = .partitionOffset(partition: partition, offset: offset)
            return
        }
        if let date = RFC3339.parse(text) {
            self = .time(date)
            return
        }
        throw ValidationError("expected an RFC 3339 time (2026-11-30T08:00:00Z), an offset (42) or PARTITION:OFFSET (3:42)")
    }

    var description: String {
        switch self {
        case .time(let date): RFC3339.format(date)
        case .offset(let offset): "offset \(offset)"
        case .partitionOffset(let partition, let offset): "\(partition):\(offset)"
        }
    }

    /// Whether `partition` is replayed at all.
    func covers(_ partition: Int32) -> Bool {
        if case .partitionOffset(let only, _) = self { return only == partition }
        return true
    }

    /// The first offset to read in a partition whose oldest kept record is `low`.
    func firstOffset(low: Int64) -> Int64 {
        switch self {
        case .time: low  // records before the time are skipped as they are read
        case .offset(let offset), .partitionOffset(_, let offset): max(offset, low)
        }
    }

    /// Whether a record read is in range (times are compared to its Kafka timestamp).
    func includes(timestamp: Int64?) -> Bool {
        guard case .time(let date) = self else { return true }
        guard let timestamp else { return true }
        return Double(timestamp) / 1000 >= date.timeIntervalSince1970
    }
}
