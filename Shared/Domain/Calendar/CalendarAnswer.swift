/// An answer of the working-day calendar together with whether it rests on a
/// provisional year (one whose State Council notice was not yet published and
/// whose days were computed from the statutory holidays alone).
///
/// Every calendar query returns one, so a due date computed into a provisional
/// year cannot be mistaken for a final one: a caller shows it as 暂定 and
/// recomputes it once the year's notice is added.
public struct CalendarAnswer<Value: Sendable>: Sendable {
    public let value: Value
    /// The provisional years the answer depends on, ascending; empty when every
    /// day it looked at is in an official year.
    public let provisionalYears: [Int]

    public var isProvisional: Bool { !provisionalYears.isEmpty }

    public init(value: Value, provisionalYears: [Int] = []) {
        self.value = value
        self.provisionalYears = provisionalYears
    }

    /// The same provenance with a transformed value.
    public func map<T: Sendable>(_ transform: (Value) throws -> T) rethrows -> CalendarAnswer<T> {
        CalendarAnswer<T>(value: try transform(value), provisionalYears: provisionalYears)
    }
}

extension CalendarAnswer: Equatable where Value: Equatable {}
extension CalendarAnswer: Hashable where Value: Hashable {}
