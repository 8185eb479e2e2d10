import Foundation

/// Decides whether an endpoint may be reached, at configuration time and at
/// every send: its host is resolved, every address is checked against
/// `EndpointAddressPolicy`, and the address to connect to is chosen from the
/// checked ones — the client connects to that address, so a second lookup
/// (DNS rebinding) cannot swap in another. `allowPrivate`
/// (`SJ_NOTIFICATION_ALLOW_PRIVATE_ENDPOINTS`) lifts the policy for local
/// sinks; resolution and pinning still happen.
struct EndpointGuard: Sendable {
    let allowPrivate: Bool
    var resolver: any HostResolving = SystemHostResolver()

    enum Verdict: Sendable, Equatable {
        /// Connect to `address` (IPv4 preferred: the county's networks reach it
        /// more surely). `host` is the URL's host without brackets.
        case allowed(host: String, address: IPAddress)
        case refused(String)
        /// The host has no address (or the lookup failed).
        case unresolvable(String)
    }

    func check(_ url: URL) async -> Verdict {
        guard var host = url.host, !host.isEmpty else { return .unresolvable("the endpoint has no host") }
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        let addresses: [IPAddress]
        if let literal = IPAddress(host) {
            addresses = [literal]
        } else {
            do {
                addresses = try await resolver.addresses(of: host)
            } catch {
                return .unresolvable("\(host): \(error)")
            }
        }
        if !allowPrivate {
            for address in addresses {
                if let refusal = EndpointAddressPolicy.refusal(address) {
                    return .refused("not a public address: " + refusal.text(host: host))
                }
            }
        }
        let chosen = addresses.first { $0.family == .v4 } ?? addresses[0]
        return .allowed(host: host, address: chosen)
    }
}
