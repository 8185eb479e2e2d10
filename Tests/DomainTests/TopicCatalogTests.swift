import Testing
@testable import Domain

/// The local broker creates any topic on its first use, so a topic that a
/// consumer group reads but nothing creates goes unnoticed locally and
/// fails in production (auto-creation off). These tests are that check.
@Suite struct TopicCatalogTests {
    @Test func everyGroupReadsOnlyCatalogTopics() {
        #expect(TopicCatalog.problems() == [])
    }

    @Test func theCatalogHoldsEveryTopicAndEveryDeadLetterTopicOfEveryGroup() {
        let catalog = TopicCatalog()
        let names = Set(catalog.names)
        #expect(names.count == catalog.names.count, "a topic listed twice")
        for topic in Topic.all { #expect(names.contains(topic)) }
        for group in ConsumerGroup.all {
            for topic in group.topics {
                #expect(names.contains(topic), "\(group.name) reads \(topic)")
                #expect(names.contains(Topic.deadLetter(of: topic, group: group.name)), "\(group.name)'s dead letters of \(topic)")
            }
        }
        #expect(catalog.names.count == Topic.all.count + ConsumerGroup.all.reduce(0) { $0 + $1.topics.count })
    }

    @Test func theNotificationGroupsDeadLetterTopicsAreNamedAsTheDesignSays() {
        #expect(ConsumerGroup.notification.deadLetterTopics.contains("shuangjian.registry.units.notification.dlq"))
        #expect(TopicCatalog().entries.first { $0.name == "shuangjian.registry.units.notification.dlq" }?.deadLettersOf == "notification")
    }

    @Test func settingsAreData() {
        let catalog = TopicCatalog()
        func configs(_ name: String) -> [String: String]? { catalog.entries.first { $0.name == name }?.configs }
        #expect(configs(Topic.registryUnits) == ["retention.ms": "-1"])
        #expect(configs(Topic.schedulingTasks) == Topic.defaultSettings)
        #expect(configs(Topic.deadLetter(of: Topic.registryPeople, group: "notification")) == ["retention.ms": "-1"])
    }

    @Test func aGroupReadingAnUnknownTopicOrSettingsForOneAreReported() {
        let problems = TopicCatalog.problems(
            topics: ["a", "b"], groups: [ConsumerGroup(name: "g", topics: ["a", "c"])], settings: ["d": [:]])
        #expect(problems == [
            "consumer group g reads c, which is not in Topic.all",
            "Topic.settings names d, which is not in Topic.all",
        ])
    }
}
