import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// librdkafka 2.0.2's mock brokers leave Nagle's algorithm on for their
/// sockets. A response written in two segments then waits for the client's
/// delayed ACK, so every produce and fetch took ~40 ms longer than the broker
/// needed. The dev broker sets TCP_NODELAY on every TCP socket of this
/// process whose local port is a mock broker's — listeners and accepted
/// connections — now and then, since brokers come and go (down/up).
enum MockSocketTuning {
    static func disableNagle(onLocalPorts ports: Set<UInt16>) {
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd") else { return }
        for entry in entries {
            guard let fd = Int32(entry), localTCPPort(of: fd).map(ports.contains) == true else { continue }
            var yes: Int32 = 1
            _ = setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &yes, socklen_t(MemoryLayout<Int32>.size))
        }
    }

    /// The local port of an IPv4 TCP socket; nil for anything else.
    private static func localTCPPort(of fd: Int32) -> UInt16? {
        var type: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        guard getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &length) == 0, type == Int32(SOCK_STREAM.rawValue) else { return nil }
        var address = sockaddr_in()
        var size = socklen_t(MemoryLayout<sockaddr_in>.size)
        let ok = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &size) == 0 }
        }
        guard ok, address.sin_family == sa_family_t(AF_INET) else { return nil }
        return UInt16(bigEndian: address.sin_port)
    }

    /// The ports of the mock brokers, from their bootstrap list ("127.0.0.1:40001,...").
    static func ports(of bootstrapServers: String) -> Set<UInt16> {
        Set(bootstrapServers.split(separator: ",").compactMap { server in
            server.lastIndex(of: ":").flatMap { UInt16(server[server.index(after: $0)...]) }
        })
    }
}
