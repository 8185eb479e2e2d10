import Testing

@testable import Registry

/// Where alerts reach a person: mobile, e-mail, DingTalk and WeCom ids.
@Suite struct ContactValidationTests {
    @Test func validAndAbsentChannelsPass() {
        #expect(ContactValidation.problems(ContactChannels()) == [])
        let channels = ContactChannels(
            mobile: "13871234567", email: "jyj.jcjyg@fangxian.gov.cn", dingTalkUserId: "manager1234",
            weComUserId: "ZhangSan")
        #expect(ContactValidation.problems(channels) == [])
        #expect(channels.validationProblems() == [])
        #expect(ContactValidation.userIDProblem(String(repeating: "a", count: 64)) == nil)
        #expect(ContactValidation.userIDProblem("user.name-01_@corp") == nil)
    }

    @Test(arguments: [
        ("1387123456", "must be 11 digits, not 10"),
        ("138712345678", "must be 11 digits, not 12"),
        ("23871234567", "must start with 1"),
        ("", "must be 11 digits, not 0"),
        ("138-7123-4567", "must be 11 digits (no spaces, dashes or country code)"),
        ("138 7123 4567", "must be 11 digits (no spaces, dashes or country code)"),
        ("+8613871234567", "must be 11 digits (no spaces, dashes or country code)"),
        ("１３８７１２３４５６７", "must be 11 digits (no spaces, dashes or country code)"),
    ])
    func badMobiles(_ mobile: String, _ problem: String) {
        #expect(ContactValidation.problems(ContactChannels(mobile: mobile)) == [FieldProblem("channels.mobile", problem)])
    }

    @Test(arguments: [
        ("", "must not be empty"),
        ("jyj.fangxian.gov.cn", "must contain exactly one @"),
        ("a@b@fangxian.gov.cn", "must contain exactly one @"),
        ("@fangxian.gov.cn", "needs a name before the @"),
        ("jyj@localhost", "needs a domain with a dot after the @ (e.g. example.cn)"),
        ("jyj@.cn", "needs a domain with a dot after the @ (e.g. example.cn)"),
        ("jyj@fangxian.", "needs a domain with a dot after the @ (e.g. example.cn)"),
        ("jyj@fangxian..cn", "needs a domain with a dot after the @ (e.g. example.cn)"),
        ("jyj@", "needs a domain with a dot after the @ (e.g. example.cn)"),
        ("j yj@fangxian.gov.cn", "must not contain spaces or control characters"),
        (String(repeating: "a", count: 250) + "@b.cn", "must be at most 254 characters"),
    ])
    func badEmails(_ email: String, _ problem: String) {
        #expect(ContactValidation.problems(ContactChannels(email: email)) == [FieldProblem("channels.email", problem)])
    }

    static let notPrintableASCII =
        "must be printable ASCII characters only (letters, digits, punctuation; no spaces or control characters)"

    @Test(arguments: [
        ("", "must not be empty (leave it out instead)"),
        (String(repeating: "x", count: 65), "must be at most 64 characters, not 65"),
        ("zhang san", notPrintableASCII),
        ("zhang\tsan", notPrintableASCII),
        ("zhang\u{200B}san", notPrintableASCII),
        ("zhang\u{7F}", notPrintableASCII),
        ("张三", notPrintableASCII),
        ("zhang\n", notPrintableASCII),
    ])
    func badUserIds(_ id: String, _ problem: String) {
        #expect(
            ContactValidation.problems(ContactChannels(dingTalkUserId: id))
                == [FieldProblem("channels.dingTalkUserId", problem)])
        #expect(
            ContactValidation.problems(ContactChannels(weComUserId: id)) == [FieldProblem("channels.weComUserId", problem)])
    }

    @Test func everyProblemIsReportedInFieldOrderUnderThePrefix() {
        let channels = ContactChannels(mobile: "12345", email: "nobody", dingTalkUserId: "", weComUserId: "a b")
        let problems = ContactValidation.problems(channels, prefix: "people[2].channels")
        #expect(problems.map(\.field) == [
            "people[2].channels.mobile", "people[2].channels.email", "people[2].channels.dingTalkUserId",
            "people[2].channels.weComUserId",
        ])
        #expect(channels.validationProblems(prefix: "").map(\.field) == ["mobile", "email", "dingTalkUserId", "weComUserId"])
        #expect(problems[0].description == "people[2].channels.mobile: must be 11 digits, not 5")
    }
}
