import ServiceKit

/// A member unit's id as the registry writes it (`education-bureau`;
/// docs/openapi/registry.yaml, NewProposal.proposedUnitId): the one pattern
/// this service's bodies and queries check a unit id against.
enum UnitIdText {
    static let pattern = TextPattern(#"^[a-z][a-z0-9-]{1,62}$"#)
    static let detail = "must be a unit id like education-bureau"
}
