#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import NIOPosix

/// Turns a host name into its addresses.
protocol HostResolving: Sendable {
    /// Every address the name has (IPv4 and IPv6); throws when it has none.
    func addresses(of host: String) async throws -> [IPAddress]
}

/// `getaddrinfo`, on NIO's thread pool: it blocks, and the cooperative pool
/// must never block. Every address is returned (no `AI_ADDRCONFIG`), so the
/// policy judges all of them, not only those this machine could reach.
struct SystemHostResolver: HostResolving {
    func addresses(of host: String) async throws -> [IPAddress] {
        try await NIOThreadPool.singleton.runIfActive { try Self.lookUp(host) }
    }

    static func lookUp(_ host: String) throws -> [IPAddress] {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        #if canImport(Glibc)
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        #else
        hints.ai_socktype = SOCK_STREAM
        #endif
        var result: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, nil, &hints, &result)
        guard status == 0 else { throw ResolveError(code: status) }
        defer { freeaddrinfo(result) }
        var addresses: [IPAddress] = []
        var cursor = result
        while let info = cursor?.pointee {
            if info.ai_family == AF_INET, let raw = info.ai_addr {
                let address = raw.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { $0.pointee.sin_addr }
                addresses.append(IPAddress(v4: withUnsafeBytes(of: address) { Array($0) }))
            } else if info.ai_family == AF_INET6, let raw = info.ai_addr {
                let address = raw.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { $0.pointee.sin6_addr }
                addresses.append(IPAddress(v6: withUnsafeBytes(of: address) { Array($0) }))
            }
            cursor = info.ai_next
        }
        guard !addresses.isEmpty else { throw ResolveError(code: EAI_NONAME) }
        var seen: Set<IPAddress> = []
        return addresses.filter { seen.insert($0).inserted }
    }

    struct ResolveError: Error, CustomStringConvertible {
        var code: Int32
        var description: String {
            switch code {
            case EAI_NONAME: "host not found"
            case EAI_AGAIN: "name resolution failed temporarily"
            default: "name resolution failed (\(code))"
            }
        }
    }
}
