import Testing
@testable import Domain

@Suite struct TopicTests {
    @Test func deadLetterNamesFollowTheDesign() {
        #expect(Topic.deadLetter(of: Topic.registryUnits, group: "notification")
            == "shuangjian.registry.units.notification.dlq")
        #expect(Topic.isDeadLetter("shuangjian.registry.units.notification.dlq"))
        #expect(!Topic.isDeadLetter("shuangjian.registry.units"))
        #expect(!Topic.isDeadLetter("other.topic.group.dlq"))
    }

    @Test func everyTopicIsListedOnce() {
        #expect(Set(Topic.all).count == Topic.all.count)
        #expect(Topic.all.count == 11)
        #expect(Topic.all.contains("shuangjian.audit.heads"))
    }
}
