#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// An IPv4 or IPv6 address as its bytes (network order), from the textual
/// forms `inet_pton` accepts: dotted-quad IPv4 only (no `127.1` or
/// `2130706433`: such hosts are resolved like names, and the resolver's
/// answer is what gets checked), IPv6 with or without brackets.
struct IPAddress: Hashable, Sendable, CustomStringConvertible {
    enum Family: Sendable { case v4, v6 }
    let family: Family
    /// 4 or 16 bytes.
    let bytes: [UInt8]

    init(v4 bytes: [UInt8]) {
        precondition(bytes.count == 4)
        family = .v4
        self.bytes = bytes
    }

    init(v6 bytes: [UInt8]) {
        precondition(bytes.count == 16)
        family = .v6
        self.bytes = bytes
    }

    /// nil when `text` is not a literal address.
    init?(_ text: String) {
        var host = Substring(text)
        if host.hasPrefix("["), host.hasSuffix("]") { host = host.dropFirst().dropLast() }
        var v4 = in_addr()
        var v6 = in6_addr()
        if inet_pton(AF_INET, String(host), &v4) == 1 {
            self.init(v4: withUnsafeBytes(of: &v4) { Array($0) })
        } else if inet_pton(AF_INET6, String(host), &v6) == 1 {
            self.init(v6: withUnsafeBytes(of: &v6) { Array($0) })
        } else {
            return nil
        }
    }

    /// The canonical text (`inet_ntop`), without brackets.
    var description: String {
        var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        let ok = bytes.withUnsafeBytes { raw in
            inet_ntop(family == .v4 ? AF_INET : AF_INET6, raw.baseAddress, &buffer, socklen_t(buffer.count)) != nil
        }
        guard ok else { return bytes.map(String.init).joined(separator: ".") }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Whether the first `bits` bits equal those of `prefix` (same family).
    func isIn(_ prefix: [UInt8], bits: Int) -> Bool {
        precondition(prefix.count == bytes.count)
        var remaining = bits
        for index in 0..<bytes.count where remaining > 0 {
            let take = min(8, remaining)
            let mask = UInt8(truncatingIfNeeded: 0xFF << (8 - take))
            if bytes[index] & mask != prefix[index] & mask { return false }
            remaining -= take
        }
        return true
    }
}
