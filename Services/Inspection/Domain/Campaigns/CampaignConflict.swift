import Foundation

/// Why an act on a campaign, an inspection or a finding is refused in its
/// current state (a 409 for the API).
struct CampaignConflict: Error, CustomStringConvertible, Equatable {
    var description: String
    init(_ description: String) { self.description = description }
}
