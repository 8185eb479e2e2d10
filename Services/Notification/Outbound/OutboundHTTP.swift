import Foundation

/// A POST as the senders build it.
struct OutboundRequest: Sendable {
    var url: URL
    var headers: [String: String]
    var body: Data
}

/// What came back — or why nothing did. Failure texts are fixed phrases,
/// never an error's description (those include the URL, and a robot's URL
/// carries its access token and signature).
enum HTTPExchange: Sendable, Equatable {
    /// `body` is at most the client's reply cap (the rest is never read);
    /// `location` is a redirect's target, which is never followed.
    case response(status: Int, body: Data, location: String? = nil)
    case timedOut
    case failed(String)
    /// Not sent: the endpoint's host is, or resolves to, an address outside
    /// channels may not reach (`EndpointAddressPolicy`). Retrying cannot help.
    case refused(String)
}

/// The one way senders reach the network, so tests can swap it.
protocol OutboundHTTP: Sendable {
    func post(_ request: OutboundRequest) async -> HTTPExchange
}
