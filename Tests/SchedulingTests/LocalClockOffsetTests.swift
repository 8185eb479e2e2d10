import Foundation
import ServiceKit
import Testing

@testable import Scheduling

/// `SJ_SCHEDULING_CLOCK_OFFSET_SECONDS` moves the clock of a local stack
/// only: with a database elsewhere the service does not start.
struct LocalClockOffsetTests {
    static func read(_ environment: [String: String]) -> (LocalClockOffset, [String]) {
        var reader = EnvironmentReader(environment)
        let offset = LocalClockOffset.read(&reader)
        return (offset, reader.problems)
    }

    @Test func aLocalDatabaseAllowsTheMovedClock() {
        for url in [
            "postgresql://shuangjian@127.0.0.1:55432/shuangjian_scheduling", "postgresql://localhost/shuangjian",
            "postgresql://[::1]:5432/db", "postgresql:///shuangjian?host=/var/run/postgresql",
            "host=127.0.0.1 port=55432 dbname=shuangjian",
        ] {
            let (offset, problems) = Self.read([LocalClockOffset.name: "3600", "SJ_DATABASE_URL": url])
            #expect(offset.seconds == 3600 && problems.isEmpty, "\(url): \(problems)")
        }
        let wall = Date(timeIntervalSince1970: 1_800_000_000)
        #expect(LocalClockOffset(seconds: 3600).clock { wall }() == wall.addingTimeInterval(3600))
        #expect(LocalClockOffset.none.clock { wall }() == wall)
    }

    @Test func anyOtherDatabaseRefusesItNamingTheSetting() {
        for url in [
            "postgresql://shuangjian@postgres:5432/shuangjian_scheduling", "postgresql://db.fangxian.gov.cn/s",
            "host=10.0.0.5 dbname=shuangjian", "postgresql://127.0.0.1,10.0.0.5/s",
        ] {
            let (offset, problems) = Self.read([LocalClockOffset.name: "3600", "SJ_DATABASE_URL": url])
            #expect(offset == .none && problems.count == 1 && problems[0].contains(LocalClockOffset.name), "\(url)")
        }
        // Unset, zero: the wall clock; not a number: a problem.
        #expect(Self.read([:]).0 == .none && Self.read([:]).1.isEmpty)
        #expect(Self.read([LocalClockOffset.name: "0", "SJ_DATABASE_URL": "postgresql://postgres/s"]).1.isEmpty)
        #expect(Self.read([LocalClockOffset.name: "tomorrow"]).1.count == 1)
    }
}
