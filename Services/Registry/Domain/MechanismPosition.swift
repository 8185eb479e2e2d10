import Foundation

/// The fixed positions of the mechanism (召集人 ×2, 协调机制办公室).
struct MechanismPosition: Codable, Sendable, Equatable {
    /// `convener-county-government`, `convener-education-bureau`, `office`.
    var id: String
    var title: String
    /// The unit the position belongs to, if any.
    var unitId: String?
    var holderId: UUID?
}
