import Foundation

/// A time bound inside a text array (the driver binds arrays of text only):
/// microseconds since the Unix epoch, exact to the precision of `timestamptz`.
/// SQL reads it back with `timestamptz 'epoch' + x::bigint * interval '1 microsecond'`.
enum EpochMicroseconds {
    static func text(_ date: Date) -> String {
        String(Int64((date.timeIntervalSince1970 * 1_000_000).rounded()))
    }
}
