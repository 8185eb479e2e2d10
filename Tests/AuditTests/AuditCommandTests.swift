import Audit
import Foundation
import Kafka
import Testing

/// `sjctl audit verify` and `sjctl audit log` run as processes (the binary in
/// SJ_BIN_DIR) against a new database and a private dev broker: exit 0 with
/// the counts and the head, 1 naming the first bad sequence number, 2 for
/// usage errors and servers it cannot reach.
@Suite(.serialized) struct AuditCommandTests {
    /// Publishes `heads` as the head publisher would (same record shape).
    static func publish(_ heads: [PublishedHead], brokers: String) async throws {
        let producer = try KafkaProducer(configuration: .init(brokers: brokers, clientId: "audit-tests"), logger: AuditEnv.logger)
        for head in heads { _ = try await producer.send(try head.kafkaRecord()) }
        await producer.close()
    }

    /// Entries 1…`count` and the genuine head of each, published.
    static func chainWithHeads(_ count: Int, service: String, brokers: String) async throws -> (AuditDatabase, [PublishedHead]) {
        let database = try await AuditDatabase.make()
        let entries = try await database.append(count)
        let chainId = try await AuditLog.head(in: database.pool).chainId
        let heads = entries.map { publishedHead(service, chainId: chainId, entry: $0) }
        try await publish(heads, brokers: brokers)
        return (database, heads)
    }

    static func verify(_ service: String, _ database: AuditDatabase, _ brokers: String, _ extra: [String] = []) async throws -> SjctlRun {
        try await SjctlRun.run(["audit", "verify", "--service", service, "--database-url", database.url, "--brokers", brokers] + extra)
    }

    @Test func verifyExitsZeroWithTheCountsAndTheHeadAfterTheServicePublished() async throws {
        try await withDevBroker { brokers in
            let database = try await AuditDatabase.make()
            let service = AuditEnv.uniqueService()
            // Heads as a running service publishes them: here, the one at shutdown.
            try await AuditHeadPublisherTests.withPublisher(
                service: service, database: database, brokers: brokers, interval: .seconds(3600)
            ) {
                try await database.append(5)
            }
            let head = try await AuditLog.head(in: database.pool)
            let run = try await Self.verify(service, database, brokers)
            #expect(run.status == 0, "\(run)")
            #expect(run.output.contains("OK \(service): 5 entries and 1 published head checked"), "\(run)")
            #expect(run.output.contains("chain \(head.chainId.uuidString.lowercased()), head seq 5 hash \(head.hashHex)"), "\(run)")

            // Without flags: SJ_DATABASE_URL and SJ_KAFKA_BROKERS.
            let fromEnvironment = try await SjctlRun.run(
                ["audit", "verify", "--service", service],
                environment: ["SJ_DATABASE_URL": database.url, "SJ_KAFKA_BROKERS": brokers])
            #expect(fromEnvironment.status == 0, "\(fromEnvironment)")
            await database.close()
        }
    }

    @Test func verifyExitsOneNamingATamperedRow() async throws {
        try await withDevBroker { brokers in
            let service = AuditEnv.uniqueService()
            let (database, _) = try await Self.chainWithHeads(6, service: service, brokers: brokers)
            try await database.tamper("UPDATE audit_log SET digest = repeat('0', 64) WHERE seq = 3")
            let run = try await Self.verify(service, database, brokers)
            #expect(run.status == 1, "\(run)")
            #expect(run.output.contains("FAILED \(service): entry 3: stored hash does not match its contents"), "\(run)")
            await database.close()
        }
    }

    @Test func verifyExitsOneForARehashedChainAndForAForgedHead() async throws {
        try await withDevBroker { brokers in
            let service = AuditEnv.uniqueService()
            let (database, heads) = try await Self.chainWithHeads(6, service: service, brokers: brokers)
            #expect(try await Self.verify(service, database, brokers).status == 0)

            var forged = heads[1]
            forged.hash = String(repeating: "f", count: 64)
            try await Self.publish([forged], brokers: brokers)
            let forgedRun = try await Self.verify(service, database, brokers)
            #expect(forgedRun.status == 1, "\(forgedRun)")
            #expect(forgedRun.output.contains("FAILED \(service): the head for seq 2 published at"), "\(forgedRun)")
            #expect(forgedRun.output.contains("is forged"), "\(forgedRun)")

            try await database.tamper("UPDATE audit_log SET actor_subject = 'nobody' WHERE seq = 4")
            try await database.rehash(from: 4)
            let run = try await Self.verify(service, database, brokers, ["--ignore-chain", UUID().uuidString])
            #expect(run.status == 1, "\(run)")
            // The forged head at 2 still comes first; the rewrite is listed after it.
            #expect(run.output.contains("also: entry 4 was rewritten after the head for seq 4"), "\(run)")
            await database.close()
        }
    }

    @Test func verifyExitsOneForAReplacedDatabaseUnlessItsChainIsIgnored() async throws {
        try await withDevBroker { brokers in
            let service = AuditEnv.uniqueService()
            let (old, _) = try await Self.chainWithHeads(3, service: service, brokers: brokers)
            let oldChain = try await AuditLog.head(in: old.pool).chainId.uuidString.lowercased()
            let (replacement, _) = try await Self.chainWithHeads(2, service: service, brokers: brokers)
            let run = try await Self.verify(service, replacement, brokers)
            #expect(run.status == 1, "\(run)")
            #expect(run.output.contains("3 heads of another chain \(oldChain)"), "\(run)")
            #expect(run.output.contains("--ignore-chain \(oldChain)"), "\(run)")
            let ignored = try await Self.verify(service, replacement, brokers, ["--ignore-chain", oldChain])
            #expect(ignored.status == 0, "\(ignored)")
            #expect(ignored.output.contains("2 entries and 2 published heads checked (3 of ignored chains passed over)"), "\(ignored)")
            await old.close()
            await replacement.close()
        }
    }

    @Test func verifyExitsTwoForBadArgumentsAndUnreachableServers() async throws {
        let usage = try await SjctlRun.run(["audit", "verify"])
        #expect(usage.status == 2 && usage.output.contains("--service"), "\(usage)")
        let badChain = try await SjctlRun.run(["audit", "verify", "--service", "registry", "--ignore-chain", "not-a-uuid"])
        #expect(badChain.status == 2 && badChain.output.contains("not-a-uuid"), "\(badChain)")
        let badName = try await SjctlRun.run(["audit", "log", "--service", "Registry!", "--aggregate", "x"])
        #expect(badName.status == 2, "\(badName)")

        let closed = try freePort()
        let noBroker = try await SjctlRun.run([
            "audit", "verify", "--service", "registry", "--brokers", "127.0.0.1:\(closed)", "--timeout", "2",
            "--database-url", "postgresql://shuangjian@127.0.0.1:\(closed)/none",
        ])
        #expect(noBroker.status == 2, "\(noBroker)")
        #expect(noBroker.output.contains("cannot read shuangjian.audit.heads at 127.0.0.1:\(closed)"), "\(noBroker)")

        try await withDevBroker { brokers in
            let noDatabase = try await SjctlRun.run([
                "audit", "verify", "--service", "registry", "--brokers", brokers,
                "--database-url", "postgresql://shuangjian:secret@127.0.0.1:\(closed)/none",
            ])
            #expect(noDatabase.status == 2, "\(noDatabase)")
            #expect(noDatabase.output.contains("cannot connect to the database at postgresql://shuangjian:***@127.0.0.1:\(closed)/none"), "\(noDatabase)")
            #expect(!noDatabase.output.contains("secret"))
        }
    }

    @Test func logPrintsAnAggregatesHistory() async throws {
        let database = try await AuditDatabase.make()
        try await database.append(5, by: AuditActor(subject: "liaison-7", role: "unit", unitId: "education-bureau"))
        let run = try await SjctlRun.run(["audit", "log", "--service", "registry", "--aggregate", "unit-2", "--database-url", database.url])
        #expect(run.status == 0, "\(run)")
        let lines = run.output.split(separator: "\n").map(String.init)
        #expect(lines.first == "registry: aggregate unit-2, 2 entries", "\(run)")
        #expect(lines.count == 4, "\(run)")
        #expect(lines[1].hasPrefix("SEQ  TIME (UTC)"), "\(run)")
        let entries = try await AuditLog.entries(aggregate: "unit-2", in: database.pool).items
        for (line, entry) in zip(lines.dropFirst(2), entries) {
            #expect(line.contains(" \(entry.seq)  ") || line.hasPrefix("\(entry.seq)  ") , "\(line)")
            #expect(line.contains("liaison-7 (unit, unit education-bureau)") && line.contains(entry.action), "\(line)")
            #expect(line.hasSuffix(String(entry.digest.prefix(16)) + "…"), "\(line)")
        }
        let none = try await SjctlRun.run(["audit", "log", "--service", "registry", "--aggregate", "nothing", "--database-url", database.url])
        #expect(none.status == 0 && none.output.contains("no audit entries for aggregate nothing"), "\(none)")
        await database.close()
    }
}
