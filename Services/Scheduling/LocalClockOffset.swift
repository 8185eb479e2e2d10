import Foundation
import ServiceKit

/// `SJ_SCHEDULING_CLOCK_OFFSET_SECONDS`: runs the service's injected clock
/// ahead of (or behind) the wall clock on a local stack, so a walkthrough
/// sees a task reach the end of its due working day (17:30, China time)
/// without waiting for it (scripts/demo-scheduling.sh). Every time the
/// service records and every timer it fires follow this clock; tokens are
/// still checked against the wall clock.
///
/// Production never runs on a moved clock: the setting is refused (the
/// service does not start) unless the database is on this machine
/// (`SJ_DATABASE_URL` names 127.0.0.1, ::1, localhost or a Unix socket), as
/// on `make run`, and the service logs a warning when it is on.
struct LocalClockOffset: Sendable, Equatable {
    static let name = "SJ_SCHEDULING_CLOCK_OFFSET_SECONDS"

    var seconds: Int

    static let none = LocalClockOffset(seconds: 0)

    /// The clock the service uses: `wall` moved by the offset.
    func clock(_ wall: @escaping @Sendable () -> Date) -> @Sendable () -> Date {
        guard seconds != 0 else { return wall }
        let interval = TimeInterval(seconds)
        return { wall().addingTimeInterval(interval) }
    }

    static func read(_ reader: inout EnvironmentReader) -> LocalClockOffset {
        // A year either way is room for any walkthrough.
        guard let seconds = reader.optionalInteger(name, in: -366 * 86_400...366 * 86_400), seconds != 0 else {
            return .none
        }
        let database = reader.string("SJ_DATABASE_URL", default: "postgresql://127.0.0.1")
        guard isLocal(database) else {
            reader.problem("\(name) moves the clock of a local stack only; SJ_DATABASE_URL must name 127.0.0.1, ::1, localhost or a socket")
            return .none
        }
        return LocalClockOffset(seconds: seconds)
    }

    /// Whether a libpq URI or `key=value` string reaches PostgreSQL on this machine.
    static func isLocal(_ database: String) -> Bool {
        let hosts: [String]
        if database.hasPrefix("postgresql://") || database.hasPrefix("postgres://") {
            // A URI this cannot read (several hosts, say) is not known to be local.
            guard let url = URLComponents(string: database) else { return false }
            // A URI without a host, or `?host=/path`, is a Unix socket.
            let queryHosts = url.queryItems?.filter { $0.name == "host" }.compactMap(\.value) ?? []
            hosts = [url.host].compactMap { $0 }.filter { !$0.isEmpty } + queryHosts
        } else {
            hosts = database.split(separator: " ").compactMap { pair in
                let parts = pair.split(separator: "=", maxSplits: 1)
                return parts.count == 2 && (parts[0] == "host" || parts[0] == "hostaddr") ? String(parts[1]) : nil
            }
        }
        return hosts.allSatisfy { host in
            let host = host.trimmingCharacters(in: CharacterSet(charactersIn: "[]'"))
            return host.hasPrefix("/") || ["127.0.0.1", "::1", "localhost"].contains(host.lowercased())
        }
    }
}
