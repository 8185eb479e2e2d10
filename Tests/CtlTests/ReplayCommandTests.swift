import Testing

/// `sjctl replay`'s arguments (the replay itself: EventFlowTests.UpgradeTests,
/// across processes). Usage errors are refused before any broker is asked.
@Suite struct ReplayCommandTests {
    @Test func badArgumentsFailWithAClearMessage() async throws {
        let usage: [([String], String)] = [
            (["replay", "--topic", "t", "--from", "0"], "--group"),
            (["replay", "--group", "g", "--from", "0"], "--topic"),
            (["replay", "--group", "g", "--topic", "t"], "--from"),
            (["replay", "--group", "g", "--topic", "t", "--from", "yesterday"], "expected an RFC 3339 time"),
            (["replay", "--group", "g", "--topic", "t", "--from", "a:1"], "PARTITION:OFFSET"),
        ]
        for (arguments, message) in usage {
            let result = try await sjctl(arguments)
            #expect(result.status == 64, "\(arguments): \(result)")
            #expect(result.stderr.contains(message), "\(arguments): \(result)")
        }
    }

    @Test func aTopicThatDoesNotExistIsNamed() async throws {
        let result = try await sjctl(["replay", "--group", "g", "--topic", "shuangjian.nothing-here", "--from", "0"])
        #expect(result.status == 1, "\(result)")
        #expect(result.stderr.contains("topic shuangjian.nothing-here does not exist"), "\(result)")
    }
}
