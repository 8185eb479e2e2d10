#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import Synchronization

/// Listens on 127.0.0.1:<port> and pipes every connection to a target
/// address. librdkafka 2.0.2's mock brokers bind an ephemeral port, so this
/// gives clients a fixed bootstrap address; after the first Metadata reply
/// they connect to the brokers' advertised (real) addresses directly.
/// Blocking sockets on plain threads: a dev tool, a handful of connections.
final class TCPForwarder: Sendable {
    private let listenFD: Int32
    private let targetHost: String
    private let targetPort: UInt16
    private let stopped = Atomic<Bool>(false)

    init(port: UInt16, targetHost: String, targetPort: UInt16) throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw ForwarderError.system("socket", errno) }
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = Self.loopback(port: port)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0, listen(fd, 64) == 0 else {
            let code = errno
            close(fd)
            throw ForwarderError.system("bind 127.0.0.1:\(port)", code)
        }
        listenFD = fd
        self.targetHost = targetHost
        self.targetPort = targetPort
    }

    func start() {
        let thread = Thread { [self] in acceptLoop() }
        thread.name = "dev-broker-forwarder"
        thread.start()
    }

    /// Stops accepting (shutdown wakes the blocked accept); open pipes end
    /// when their peers close.
    func stop() {
        guard !stopped.exchange(true, ordering: .relaxed) else { return }
        shutdown(listenFD, Int32(SHUT_RDWR))
        close(listenFD)
    }

    private func acceptLoop() {
        while !stopped.load(ordering: .relaxed) {
            let client = accept(listenFD, nil, nil)
            if client < 0 {
                if errno == EINTR { continue }
                return
            }
            let upstream = connectTarget()
            guard upstream >= 0 else {
                close(client)
                continue
            }
            let pair = SocketPair(a: client, b: upstream)
            for (from, to) in [(client, upstream), (upstream, client)] {
                let thread = Thread { pair.pump(from: from, to: to) }
                thread.start()
            }
        }
    }

    private func connectTarget() -> Int32 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return -1 }
        var address = Self.loopback(port: targetPort)
        inet_pton(AF_INET, targetHost, &address.sin_addr)
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else {
            close(fd)
            return -1
        }
        return fd
    }

    private static func loopback(port: UInt16) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        return address
    }
}

/// Two connected sockets; closed when both pump directions have ended.
private final class SocketPair: Sendable {
    let a: Int32
    let b: Int32
    private let finishedDirections = Atomic<Int>(0)

    init(a: Int32, b: Int32) {
        self.a = a
        self.b = b
    }

    func pump(from: Int32, to: Int32) {
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        copying: while true {
            let count = buffer.withUnsafeMutableBytes { read(from, $0.baseAddress, $0.count) }
            if count < 0, errno == EINTR { continue }
            guard count > 0 else { break }
            var sent = 0
            while sent < count {
                let written = buffer.withUnsafeBytes { send(to, $0.baseAddress! + sent, count - sent, Int32(MSG_NOSIGNAL)) }
                if written < 0, errno == EINTR { continue }
                guard written > 0 else { break copying }
                sent += written
            }
        }
        // One side ended: end both so the other pump wakes up too.
        shutdown(a, Int32(SHUT_RDWR))
        shutdown(b, Int32(SHUT_RDWR))
        if finishedDirections.add(1, ordering: .acquiringAndReleasing).newValue == 2 {
            close(a)
            close(b)
        }
    }
}

enum ForwarderError: Error, CustomStringConvertible {
    case system(String, Int32)

    var description: String {
        switch self {
        case .system(let what, let code): "\(what): \(String(cString: strerror(code)))"
        }
    }
}
