import Domain
import Foundation
import Kafka
import Testing

/// `sjctl dlq list|replay` run as a separate process against the local broker
/// that scripts/test.sh starts. Each test has its own consumer group, hence
/// its own dead-letter topic; the original topic is the shared
/// `shuangjian.registry.units`, so checks filter it by the tests' ce_ids.
/// Serialized: each test runs several processes on a small machine.
@Suite(.serialized)
struct DeadLetterCommandTests {
    @Test func listShowsEveryDeadLetterAndItsOrigin() async throws {
        let group = CtlEnv.uniqueGroup()
        let dlq = Topic.deadLetter(of: Topic.registryUnits, group: group)
        let letters = try await DeadLetters.produce(3, group: group)

        let text = try await sjctl(["dlq", "list", "--topic", dlq])
        #expect(text.status == 0, "\(text)")
        #expect(text.stdout.contains("\(dlq): 3 dead letters"), "\(text)")
        for letter in letters {
            #expect(text.stdout.contains("\(letter.position)  from \(Topic.registryUnits) \(letter.originalPartition):\(letter.originalOffset)  group \(group)  attempts 5"), "\(text)")
            #expect(text.stdout.contains(letter.ceId))
            #expect(text.stdout.contains(letter.keyString))
        }
        #expect(text.stdout.contains(DeadLetters.ceType))
        #expect(text.stdout.contains(#"missing field \"name\""#) || text.stdout.contains(#"missing field "name""#))
        #expect(text.stdout.contains(#"{"id":"\#(letters[0].keyString)""#))

        let json = try await sjctl(["dlq", "list", "--topic", dlq, "--json"])
        #expect(json.status == 0, "\(json)")
        let objects = try jsonLines(json.stdout)
        #expect(objects.count == 3)
        for letter in letters {
            let object = try #require(objects.first { $0["ce_id"] as? String == letter.ceId })
            #expect(object["dlq_topic"] as? String == dlq)
            #expect(object["dlq_partition"] as? Int == Int(letter.dlqPartition))
            #expect(object["dlq_offset"] as? Int == Int(letter.dlqOffset))
            #expect(object["original_topic"] as? String == Topic.registryUnits)
            #expect(object["original_partition"] as? Int == Int(letter.originalPartition))
            #expect(object["original_offset"] as? Int == Int(letter.originalOffset))
            #expect(object["consumer_group"] as? String == group)
            #expect(object["error"] as? String == DeadLetters.error)
            #expect(object["attempts"] as? Int == 5)
            #expect(object["ce_type"] as? String == DeadLetters.ceType)
            #expect(object["key"] as? String == letter.keyString)
            #expect(object["value"] as? String == String(decoding: letter.value, as: UTF8.self))
            #expect(object["value_encoding"] as? String == "utf8")
            let headers = try #require(object["headers"] as? [[String: Any]])
            #expect(headers.map { $0["key"] as? String } == letter.headers.map(\.key))
        }

        // Without --topic: every dead-letter topic of the cluster, ours among them.
        let everything = try await sjctl(["dlq", "list", "--json"])
        #expect(everything.status == 0, "\(everything)")
        #expect(try jsonLines(everything.stdout).filter { $0["dlq_topic"] as? String == dlq }.count == 3)

        let limited = try await sjctl(["dlq", "list", "--topic", dlq, "--limit", "1"])
        #expect(limited.status == 0, "\(limited)")
        #expect(limited.stdout.contains("(the first 1 shown)"))
        #expect(letters.filter { limited.stdout.contains($0.ceId) }.count == 1)
    }

    @Test func listEncodesBinaryValuesInBase64() async throws {
        let group = CtlEnv.uniqueGroup()
        let dlq = Topic.deadLetter(of: Topic.registryUnits, group: group)
        _ = try await DeadLetters.produce(1, group: group, value: [0xff, 0xfe, 0x00, 0x41])
        let json = try await sjctl(["dlq", "list", "--topic", dlq, "--json"])
        #expect(json.status == 0, "\(json)")
        let object = try #require(try jsonLines(json.stdout).first)
        #expect(object["value"] as? String == Data([0xff, 0xfe, 0x00, 0x41]).base64EncodedString())
        #expect(object["value_encoding"] as? String == "base64")
        let text = try await sjctl(["dlq", "list", "--topic", dlq])
        #expect(text.stdout.contains("<4 bytes, not UTF-8>"), "\(text)")
    }

    @Test func replayAllRepublishesEachDeadLetterOnce() async throws {
        let group = CtlEnv.uniqueGroup()
        let dlq = Topic.deadLetter(of: Topic.registryUnits, group: group)
        let letters = try await DeadLetters.produce(3, group: group)

        let dryRun = try await sjctl(["dlq", "replay", "--topic", dlq, "--all", "--dry-run"])
        #expect(dryRun.status == 0, "\(dryRun)")
        #expect(dryRun.lines.filter { $0.hasPrefix("would replay ") }.count == 3, "\(dryRun)")

        let first = try await sjctl(["dlq", "replay", "--topic", dlq, "--all"])
        #expect(first.status == 0, "\(first)")
        #expect(first.lines.filter { $0.hasPrefix("replayed \(dlq) ") }.count == 3, "\(first)")
        #expect(first.stdout.contains("3 dead letters replayed from \(dlq)"), "\(first)")

        let second = try await sjctl(["dlq", "replay", "--topic", dlq, "--all"])
        #expect(second.status == 0, "\(second)")
        #expect(second.lines.filter { $0.hasPrefix("replayed ") }.isEmpty, "\(second)")
        #expect(second.stdout.contains("nothing to replay in \(dlq)"), "\(second)")

        // Exactly one copy each (the dry run and the second run published nothing),
        // as the original: same key, value, headers (so the same ce_id), no dlq-*,
        // back on the partition it came from.
        let republished = try await DeadLetters.republished(ceIds: Set(letters.map(\.ceId)))
        #expect(republished.count == 3)
        for letter in letters {
            let copies = republished.filter { $0.text("ce_id") == letter.ceId }
            #expect(copies.count == 1)
            let copy = try #require(copies.first)
            #expect(copy.key == letter.key)
            #expect(copy.value == letter.value)
            #expect(copy.headers == letter.originalHeaders)
            #expect(!copy.headers.contains { $0.key.hasPrefix("dlq-") })
            #expect(copy.partition == letter.originalPartition)
        }

        // A dead letter that arrives later is the only one the next run replays.
        let later = try await DeadLetters.produce(1, group: group)
        let third = try await sjctl(["dlq", "replay", "--topic", dlq, "--all"])
        #expect(third.status == 0, "\(third)")
        let replayedLines = third.lines.filter { $0.hasPrefix("replayed ") }
        #expect(replayedLines.count == 1, "\(third)")
        #expect(replayedLines.first?.contains(later[0].ceId) == true, "\(third)")
    }

    @Test func replayByOffsetReplacesTheValueAndIgnoresProgress() async throws {
        let group = CtlEnv.uniqueGroup()
        let dlq = Topic.deadLetter(of: Topic.registryUnits, group: group)
        let letters = try await DeadLetters.produce(2, group: group)
        let fixed = Array(#"{"id":"fixed-by-hand","name":"县应急管理局"}"#.utf8)
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("ctltest-\(UUID().uuidString).json")
        try Data(fixed).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }

        let byOffset = try await sjctl(
            ["dlq", "replay", "--topic", dlq, "--offset", letters[1].position, "--value-file", file.path])
        #expect(byOffset.status == 0, "\(byOffset)")
        #expect(byOffset.lines.filter { $0.hasPrefix("replayed \(dlq) \(letters[1].position) -> ") }.count == 1, "\(byOffset)")
        #expect(byOffset.stdout.contains("value replaced"), "\(byOffset)")

        // --offset left --all's progress alone: --all replays both (the original value),
        // and a second --offset replays that record again.
        let all = try await sjctl(["dlq", "replay", "--topic", dlq, "--all"])
        #expect(all.status == 0, "\(all)")
        #expect(all.lines.filter { $0.hasPrefix("replayed ") }.count == 2, "\(all)")
        let again = try await sjctl(["dlq", "replay", "--topic", dlq, "--offset", letters[0].position])
        #expect(again.status == 0, "\(again)")

        let republished = try await DeadLetters.republished(ceIds: Set(letters.map(\.ceId)))
        let firstCopies = republished.filter { $0.text("ce_id") == letters[0].ceId }
        let secondCopies = republished.filter { $0.text("ce_id") == letters[1].ceId }
        #expect(firstCopies.count == 2)
        #expect(firstCopies.allSatisfy { $0.value == letters[0].value && $0.key == letters[0].key })
        #expect(secondCopies.count == 2)
        #expect(Set(secondCopies.compactMap(\.value)) == [fixed, letters[1].value])
        for copy in secondCopies {
            #expect(copy.key == letters[1].key)
            #expect(copy.headers == letters[1].originalHeaders)
        }
    }

    @Test func badArgumentsFailWithAClearMessage() async throws {
        let group = CtlEnv.uniqueGroup()
        let dlq = Topic.deadLetter(of: Topic.registryUnits, group: group)
        let valid = try await DeadLetters.produce(1, group: group)

        // Usage errors: rejected before any broker is asked.
        let usage: [([String], String)] = [
            (["dlq", "replay", "--topic", dlq], "choose what to replay"),
            (["dlq", "replay", "--topic", dlq, "--all", "--offset", "0:1"], "not both"),
            (["dlq", "replay", "--topic", dlq, "--offset", "0:1", "--offset", "0:2", "--value-file", "/tmp/x"], "exactly one --offset"),
            (["dlq", "replay", "--topic", dlq, "--all", "--value-file", "/tmp/x"], "exactly one --offset"),
            (["dlq", "replay", "--topic", dlq, "--offset", "zero:1"], "expected PARTITION:OFFSET"),
            (["dlq", "replay", "--topic", dlq, "--offset", "0:1", "--offset", "0:1"], "given twice"),
            (["dlq", "replay", "--topic", dlq, "--offset", "0:1", "--skip-invalid"], "--skip-invalid goes with --all"),
            (["dlq", "list", "--limit", "0"], "--limit must be at least 1"),
        ]
        for (arguments, message) in usage {
            let result = try await sjctl(arguments)
            #expect(result.status != 0, "\(arguments): \(result)")
            #expect(result.stderr.contains(message), "\(arguments): \(result)")
        }

        // Errors the cluster reveals.
        let missingFile = "/nonexistent/ctltest-\(UUID().uuidString).json"
        let cluster: [([String], String)] = [
            (["dlq", "replay", "--topic", Topic.registryUnits, "--all"], "is not a dead-letter topic"),
            (["dlq", "list", "--topic", Topic.registryUnits], "is not a dead-letter topic"),
            (["dlq", "replay", "--topic", "\(Topic.registryUnits).nobody-\(UUID().uuidString.prefix(8)).dlq", "--all"], "does not exist"),
            (["dlq", "replay", "--topic", dlq, "--offset", "\(valid[0].dlqPartition):999999"], "no dead letter at \(valid[0].dlqPartition):999999"),
            (["dlq", "replay", "--topic", dlq, "--offset", "9999:0"], "has no partition 9999"),
            (["dlq", "replay", "--topic", dlq, "--offset", valid[0].position, "--value-file", missingFile], "cannot read --value-file"),
        ]
        for (arguments, message) in cluster {
            let result = try await sjctl(arguments)
            #expect(result.status != 0, "\(arguments): \(result)")
            #expect(result.stderr.contains(message), "\(arguments): \(result)")
        }

        // A dead letter that does not say where it came from.
        let headless = try await DeadLetters.produce(1, group: group, withOriginalTopic: false)
        let byOffset = try await sjctl(["dlq", "replay", "--topic", dlq, "--offset", headless[0].position])
        #expect(byOffset.status != 0, "\(byOffset)")
        #expect(byOffset.stderr.contains("has no dlq-original-topic header"), "\(byOffset)")
        let all = try await sjctl(["dlq", "replay", "--topic", dlq, "--all"])
        #expect(all.status != 0, "\(all)")
        #expect(all.stderr.contains("has no dlq-original-topic header"), "\(all)")
        let skipping = try await sjctl(["dlq", "replay", "--topic", dlq, "--all", "--skip-invalid"])
        #expect(skipping.status == 0, "\(skipping)")
        #expect(skipping.lines.contains { $0.hasPrefix("skipped \(dlq) \(headless[0].position)") }, "\(skipping)")
        let after = try await sjctl(["dlq", "replay", "--topic", dlq, "--all"])
        #expect(after.status == 0, "\(after)")
        #expect(after.stdout.contains("nothing to replay"), "\(after)")
        // The valid one went back exactly once over these runs.
        let republished = try await DeadLetters.republished(ceIds: [valid[0].ceId, headless[0].ceId])
        #expect(republished.map { $0.text("ce_id") } == [valid[0].ceId])
    }

    /// Each command gives up by itself (`timedOut` would say the test had to stop it).
    @Test func unreachableBrokerFailsWithinTheTimeout() async throws {
        let list = try await sjctl(["dlq", "list", "--brokers", "127.0.0.1:1", "--timeout", "2"], timeout: .seconds(30))
        #expect(!list.timedOut, "\(list)")
        #expect(list.status != 0, "\(list)")
        #expect(list.stderr.contains("cannot reach Kafka at 127.0.0.1:1"), "\(list)")
        let replay = try await sjctl(
            ["dlq", "replay", "--brokers", "127.0.0.1:1", "--timeout", "2", "--topic", "a.b.dlq", "--all"],
            timeout: .seconds(30))
        #expect(!replay.timedOut, "\(replay)")
        #expect(replay.status != 0, "\(replay)")
        #expect(replay.stderr.contains("cannot reach Kafka at 127.0.0.1:1"), "\(replay)")
    }
}
