import ServiceKit

/// Who may do what in the inspection service (issue 12, "authorization").
///
/// - County systems publish signals (`county-system`).
/// - The office manages warnings: confirms, changes levels, circulates, closes.
/// - Conveners read and decide (they read everything the office reads).
/// - A `unit` token sees only the warnings its unit answers for.
/// - Everyone else (e.g. `ops`) gets 403.
enum Access {
    static let signalSenders: [Principal.Role] = [.countySystem]
    static let signalReaders: [Principal.Role] = [.office, .convener]
    static let warningReaders: [Principal.Role] = [.office, .convener, .unit]
    static let managers: [Principal.Role] = [.office]
    /// The statistics: the office and the conveners.
    static let overseers: [Principal.Role] = [.office, .convener]
}
