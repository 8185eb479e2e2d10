import ServiceKit

/// Who may do what in the registry (issue: registry authorization).
///
/// - The office manages everything.
/// - A unit's liaison (a `unit` token for that unit) may change only its own
///   unit's contact details and its own people's contact channels.
/// - County systems, conveners and units may read.
/// - Everyone else (e.g. `ops`) gets 403.
enum Access {
    static let readers: [Principal.Role] = [.office, .convener, .countySystem, .unit]
    static let managers: [Principal.Role] = [.office]
}
