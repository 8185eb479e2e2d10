import Foundation

/// An aggregate kept as one row holding its whole state, changed only
/// through one helper (ServiceKit's `PostgresPool.change`): each change bumps `version` and stamps
/// `updatedAt`, so consumers of its events can keep the newest state.
public protocol VersionedAggregate: Sendable {
    var version: Int { get set }
    var updatedAt: Date { get set }
}
