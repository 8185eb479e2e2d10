import Foundation
import Testing

@testable import Inspection

/// The random draw (双随机) as a pure function: the generator is SplitMix64
/// as published, a record re-runs to the same result, and the rules hold
/// whatever the seed.
struct RandomDrawTests {
    /// Vigna's splitmix64.c from state 0: the published first outputs.
    @Test func splitMix64IsTheReferenceGenerator() {
        var random = SplitMix64(seed: 0)
        #expect(random.next() == 0xE220_A839_7B1D_CDAF)
        #expect(random.next() == 0x6E78_9E6A_A1B9_65F4)
        #expect(random.next() == 0x06C4_5D18_8009_454F)
    }

    @Test func belowStaysInRangeAndShuffleKeepsEveryItem() {
        var random = SplitMix64(seed: 99)
        for bound in [1, 2, 3, 7, 1000] {
            for _ in 0..<200 { #expect((0..<bound).contains(random.below(bound))) }
        }
        var items = Array(0..<50)
        random.shuffle(&items)
        #expect(items.sorted() == Array(0..<50))
        #expect(items != Array(0..<50))
    }

    static func inputs() -> RandomDraw.Inputs {
        let units = ["education-bureau", "market-regulation-bureau", "civil-affairs-bureau", "finance-bureau", "public-security-bureau",
                     "culture-tourism-bureau", "health-bureau", "human-resources-bureau"]
        return RandomDraw.Inputs(
            subjects: units.map { RandomDraw.Subject(id: $0, name: $0, unitId: $0) },
            groups: [
                RandomDraw.Group(id: "b-group", memberUnitIds: ["education-bureau", "finance-bureau"], inspectors: [
                    .init(personId: "p1", unitId: "education-bureau"), .init(personId: "p2", unitId: "finance-bureau"),
                    .init(personId: "p3", unitId: "finance-bureau"),
                ]),
                RandomDraw.Group(id: "a-group", memberUnitIds: ["market-regulation-bureau"], inspectors: [
                    .init(personId: "p4", unitId: "market-regulation-bureau"), .init(personId: "p5", unitId: "health-bureau"),
                    .init(personId: "p6", unitId: nil),
                ]),
            ],
            inspectorsPerInspection: 2)
    }

    @Test func theSameRecordGivesTheSameAssignmentInAnyInputOrder() throws {
        let inputs = Self.inputs()
        let first = try RandomDraw.run(inputs, seed: 0x1234)
        var shuffled = inputs
        shuffled.subjects.reverse()
        shuffled.groups.reverse()
        for index in shuffled.groups.indices { shuffled.groups[index].inspectors.reverse() }
        #expect(try RandomDraw.run(shuffled, seed: 0x1234) == first)
        #expect(try RandomDraw.run(inputs.canonical, seed: 0x1234) == first)
        // Another seed, another draw (for these inputs, these seeds).
        #expect(try RandomDraw.run(inputs, seed: 0x1235) != first)
    }

    @Test func noGroupInspectsItsOwnUnitsAndNoInspectorTheirOwnUnit() throws {
        let inputs = Self.inputs()
        let units = Dictionary(uniqueKeysWithValues: inputs.groups.flatMap(\.inspectors).map { ($0.personId, $0.unitId) })
        for seed in UInt64(0)..<300 {
            let assignments = try RandomDraw.run(inputs, seed: seed)
            #expect(Set(assignments.map(\.subjectId)) == Set(inputs.subjects.map(\.id)))
            var load: [String: Int] = [:]
            for assignment in assignments {
                let group = try #require(inputs.groups.first { $0.id == assignment.groupId })
                #expect(!group.memberUnitIds.contains(assignment.subjectId))
                #expect(assignment.inspectorIds.count == 2)
                #expect(Set(assignment.inspectorIds).count == 2)
                for inspector in assignment.inspectorIds {
                    #expect(group.inspectors.contains { $0.personId == inspector })
                    #expect(units[inspector] ?? nil != assignment.subjectId)
                }
                load[assignment.groupId, default: 0] += 1
            }
            // As even as the rules allow: 8 units, two groups each barred from some.
            #expect(abs((load["a-group"] ?? 0) - (load["b-group"] ?? 0)) <= 2)
        }
    }

    @Test func aUnitNoGroupMayInspectIsRefusedByName() {
        var inputs = Self.inputs()
        inputs.groups = [inputs.groups[0]]
        inputs.subjects = [RandomDraw.Subject(id: "education-bureau", name: "县教育局", unitId: "education-bureau")]
        #expect(throws: RandomDraw.Impossible(subjectId: "education-bureau")) { try RandomDraw.run(inputs, seed: 1) }
    }

    @Test func seedsAreWrittenAsSixteenHexDigits() {
        #expect(RandomDraw.text(0x4D2) == "00000000000004d2")
        #expect(RandomDraw.seed("00000000000004d2") == 0x4D2)
        #expect(RandomDraw.seed(RandomDraw.text(.max)) == .max)
        #expect(RandomDraw.seed("4d2") == nil)
        #expect(RandomDraw.seed("000000000000004g") == nil)
    }
}

/// The documented score and the finding's rounds, as pure rules.
struct InspectionRulesTests {
    static func item(_ id: String, _ outcome: ItemResult.Outcome?) -> ChecklistItem {
        ChecklistItem(
            id: id, text: id, basis: "二（二）", source: .duty, dutyId: nil,
            result: outcome.map { ItemResult(outcome: $0, notes: nil, needsRectification: false, recordedBy: "x", recordedAt: Date()) })
    }

    @Test func theScoreIsTheMeanOfApplicableItems() {
        #expect(InspectionScore.of([Self.item("a", .compliant), Self.item("b", .partly), Self.item("c", .notCompliant)]) == 50)
        #expect(InspectionScore.of([Self.item("a", .compliant), Self.item("b", .notCompliant), Self.item("c", .compliant)]) == 66.7)
        #expect(InspectionScore.of([Self.item("a", .compliant), Self.item("b", .notApplicable)]) == 100)
        #expect(InspectionScore.of([Self.item("a", .notApplicable)]) == nil)
    }

    @Test func aFindingRoundFollowsItsTaskAndTheRecheck() throws {
        let sample = try CampaignSamples.make(full: false)
        var finding = sample.finding
        let first = try #require(finding.rectification)
        #expect(first.id == "\(finding.id.uuidString.lowercased())/1")
        #expect(finding.status == .open)
        // Another round's task, or another finding's: nothing.
        let otherRound = finding.taskMoved(reference: "\(finding.id.uuidString.lowercased())/2", taskId: UUID(), completed: true, at: Date())
        #expect(!otherRound)
        var early = finding
        do {
            try early.recheck(passed: true, note: "x", by: "o", workingDays: 5, calendar: .china, at: Date())
            Issue.record("a finding whose task is not completed was re-checked")
        } catch {}
        let takenOn = finding.taskMoved(reference: first.id, taskId: UUID(), completed: false, at: Date())
        #expect(takenOn)
        #expect(finding.status == .rectifying)
        let completed = finding.taskMoved(reference: first.id, taskId: UUID(), completed: true, at: Date())
        #expect(completed)
        #expect(finding.status == .awaitingRecheck)
        #expect(finding.rectification?.onTime == true)
        try finding.recheck(passed: false, note: "整改不到位", by: "o", workingDays: 5, calendar: .china, at: Date())
        #expect(finding.status == .open)
        #expect(finding.rectification?.round == 2)
        #expect(finding.rectification?.title.hasPrefix("整改（第2轮）：") == true)
        #expect(finding.previousRounds.map(\.round) == [1])
        // The first round's task completing again changes nothing now.
        let stale = finding.taskMoved(reference: first.id, taskId: UUID(), completed: true, at: Date())
        #expect(!stale)
        try finding.close(by: "office-1", reason: "情况已变化", at: Date())
        #expect(finding.status == .closed)
        var closedAgain = finding
        do {
            try closedAgain.close(by: "office-1", reason: "x", at: Date())
            Issue.record("a closed finding was closed again")
        } catch {}
    }
}
