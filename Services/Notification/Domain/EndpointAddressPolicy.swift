/// Which addresses an outside channel may reach. An endpoint whose host is,
/// or resolves to, any of these is refused — at configuration and again at
/// every send — unless `SJ_NOTIFICATION_ALLOW_PRIVATE_ENDPOINTS=true` (local
/// sinks): otherwise a channel could make the service POST signed requests
/// to the county's internal systems or a cloud metadata service (SSRF).
///
/// IPv6 addresses that carry an IPv4 address (IPv4-mapped `::ffff:a.b.c.d`,
/// IPv4-compatible `::a.b.c.d`, NAT64 `64:ff9b::a.b.c.d`, 6to4 `2002:AABB:CCDD::`)
/// are judged by that IPv4 address.
enum EndpointAddressPolicy {
    /// Why an address may not be reached.
    struct Refusal: Sendable, Equatable {
        var address: IPAddress
        /// The IPv4 address an IPv6 one stands for, when that is what was judged.
        var embedded: IPAddress?
        /// What kind of address it is: "loopback", "private (RFC 1918)", …
        var kind: String

        /// e.g. `localhost resolves to 127.0.0.1, which is loopback`, or
        /// `::ffff:10.0.0.1 stands for 10.0.0.1, which is private (RFC 1918)`.
        func text(host: String?) -> String {
            var subject = "\(address)"
            if let host, IPAddress(host) == nil { subject = "\(host) resolves to \(address)" }
            if let embedded { return "\(subject), which stands for \(embedded), which is \(kind)" }
            return host.map { IPAddress($0) == nil } == true ? "\(subject), which is \(kind)" : "\(subject) is \(kind)"
        }
    }

    /// Why `address` may not be reached; nil when it may.
    static func refusal(_ address: IPAddress) -> Refusal? {
        switch address.family {
        case .v4: return v4Kind(address).map { Refusal(address: address, kind: $0) }
        case .v6: return refusal(v6: address)
        }
    }

    private static let v4Ranges: [(prefix: [UInt8], bits: Int, kind: String)] = [
        ([0, 0, 0, 0], 8, "unspecified (0.0.0.0/8)"),
        ([10, 0, 0, 0], 8, "private (RFC 1918)"),
        ([100, 64, 0, 0], 10, "shared address space (CGNAT, RFC 6598; also cloud metadata such as 100.100.100.200)"),
        ([127, 0, 0, 0], 8, "loopback"),
        ([169, 254, 0, 0], 16, "link-local (cloud metadata such as 169.254.169.254)"),
        ([172, 16, 0, 0], 12, "private (RFC 1918)"),
        ([192, 0, 0, 0], 24, "IETF protocol assignments (cloud metadata such as 192.0.0.192)"),
        ([192, 168, 0, 0], 16, "private (RFC 1918)"),
        ([198, 18, 0, 0], 15, "benchmarking (RFC 2544)"),
        ([224, 0, 0, 0], 4, "multicast"),
        ([240, 0, 0, 0], 4, "reserved (240.0.0.0/4, broadcast)"),
    ]

    private static func v4Kind(_ address: IPAddress) -> String? {
        v4Ranges.first { address.isIn($0.prefix, bits: $0.bits) }?.kind
    }

    private static func v6(_ head: [UInt8]) -> [UInt8] { head + [UInt8](repeating: 0, count: 16 - head.count) }

    private static let v6Ranges: [(prefix: [UInt8], bits: Int, kind: String)] = [
        (v6([0x00, 0x64, 0xff, 0x9b, 0x00, 0x01]), 48, "local-use NAT64 (RFC 8215)"),
        (v6([0xfc]), 7, "unique local (RFC 4193)"),
        (v6([0xfe, 0x80]), 10, "link-local"),
        (v6([0xfe, 0xc0]), 10, "site-local (deprecated)"),
        (v6([0xff]), 8, "multicast"),
    ]

    private static func refusal(v6 address: IPAddress) -> Refusal? {
        let bytes = address.bytes
        if bytes == v6([]) { return Refusal(address: address, kind: "unspecified") }
        if bytes == [UInt8](repeating: 0, count: 15) + [1] { return Refusal(address: address, kind: "loopback") }
        if let embedded = embeddedV4(bytes) {
            return v4Kind(embedded).map { Refusal(address: address, embedded: embedded, kind: $0) }
        }
        return v6Ranges.first { address.isIn($0.prefix, bits: $0.bits) }.map { Refusal(address: address, kind: $0.kind) }
    }

    /// The IPv4 address an IPv6 address stands for, where its form says so.
    static func embeddedV4(_ bytes: [UInt8]) -> IPAddress? {
        let zeros10 = bytes[0..<10].allSatisfy { $0 == 0 }
        // ::ffff:a.b.c.d (mapped) and ::a.b.c.d (compatible, deprecated).
        if zeros10 && ((bytes[10] == 0xff && bytes[11] == 0xff) || (bytes[10] == 0 && bytes[11] == 0)) {
            return IPAddress(v4: Array(bytes[12..<16]))
        }
        // 64:ff9b::/96, the well-known NAT64 prefix.
        if bytes[0..<12] == [0x00, 0x64, 0xff, 0x9b, 0, 0, 0, 0, 0, 0, 0, 0] {
            return IPAddress(v4: Array(bytes[12..<16]))
        }
        // 2002:AABB:CCDD::/48, 6to4.
        if bytes[0] == 0x20 && bytes[1] == 0x02 { return IPAddress(v4: Array(bytes[2..<6])) }
        return nil
    }
}
