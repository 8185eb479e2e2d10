import Domain
import Foundation
import Testing

@testable import Registry

/// Roles and partners of the notice's 会同 / 配合 sentences, the items they
/// give the partners (docs/duty-matrix.md), and the seed's checks of them.
@Suite struct DutyPartnerTests {
    static func units() throws -> [MemberUnit] { try MechanismSeed.bundled().memberUnits() }

    static func duty(_ id: String, in units: [MemberUnit]) -> Duty? {
        let unit = String(id.split(separator: "/")[0])
        return units.first { $0.id == unit }?.duties.first { $0.id == id }
    }

    /// Every item whose sentence says 会同 or 配合: its role and the units it names.
    static let sentences: [(duty: String, role: DutyRole, partners: [String])] = [
        ("education-bureau/2", .lead, []),  // 会同有关部门: the notice names none
        ("development-reform-bureau/1", .lead, ["finance-bureau", "education-bureau"]),
        ("development-reform-bureau/2", .lead, ["education-bureau"]),
        ("science-economy-bureau/2", .assisting, ["administrative-approval-bureau"]),
        ("science-economy-bureau/3", .lead, ["market-regulation-bureau", "education-bureau"]),
        ("culture-tourism-bureau/2", .assisting, ["administrative-approval-bureau"]),
        ("culture-tourism-bureau/3", .lead, ["market-regulation-bureau", "education-bureau"]),
        ("culture-tourism-bureau/4", .assisting, ["education-bureau"]),
        ("market-regulation-bureau/1", .lead, ["administrative-approval-bureau"]),
        ("market-regulation-bureau/5", .lead, ["education-bureau"]),
        ("administrative-approval-bureau/1", .lead, ["culture-tourism-bureau", "science-economy-bureau"]),
        ("youth-league-committee/1", .assisting, ["education-bureau"]),
        ("womens-federation/1", .lead, ["education-bureau"]),
        ("science-association/1", .assisting, ["education-bureau"]),
    ]

    @Test func everyHuiTongAndPeiHeItemRecordsItsRoleAndPartners() throws {
        let units = try Self.units()
        for (id, role, partners) in Self.sentences {
            let duty = try #require(Self.duty(id, in: units), "\(id)")
            #expect(duty.isOwn)
            #expect(duty.role == role, "\(id)")
            #expect(duty.partnerUnitIds == partners, "\(id)")
        }
        // Every other own item leads and names no partner.
        let listed = Set(Self.sentences.map(\.duty))
        for unit in units {
            for duty in unit.duties where duty.isOwn && !listed.contains(duty.id) {
                #expect(duty.role == .lead && duty.partnerUnitIds.isEmpty, "\(duty.id)")
                #expect(!duty.text.contains("会同") && !duty.text.contains("配合"), "\(duty.id)")
            }
        }
    }

    /// The items the partners get: the sentence, the other role, its unit(s)
    /// as partners and the item it comes from — appended after their own.
    @Test func partnersGetTheSentenceAsADerivedItem() throws {
        let units = try Self.units()
        let derived = units.flatMap { $0.duties.filter { !$0.isOwn } }
        let expected: [(id: String, source: String, role: DutyRole, partners: [String])] = [
            ("education-bureau/7", "development-reform-bureau/1", .assisting, ["development-reform-bureau"]),
            ("education-bureau/8", "development-reform-bureau/2", .assisting, ["development-reform-bureau"]),
            ("education-bureau/9", "science-economy-bureau/3", .assisting, ["science-economy-bureau"]),
            ("education-bureau/10", "culture-tourism-bureau/3", .assisting, ["culture-tourism-bureau"]),
            ("education-bureau/11", "culture-tourism-bureau/4", .lead, ["culture-tourism-bureau"]),
            ("education-bureau/12", "market-regulation-bureau/5", .assisting, ["market-regulation-bureau"]),
            ("education-bureau/13", "youth-league-committee/1", .lead, ["youth-league-committee", "science-association"]),
            ("education-bureau/14", "womens-federation/1", .assisting, ["womens-federation"]),
            ("finance-bureau/2", "development-reform-bureau/1", .assisting, ["development-reform-bureau"]),
            ("market-regulation-bureau/6", "science-economy-bureau/3", .assisting, ["science-economy-bureau"]),
            ("market-regulation-bureau/7", "culture-tourism-bureau/3", .assisting, ["culture-tourism-bureau"]),
            ("administrative-approval-bureau/2", "market-regulation-bureau/1", .assisting, ["market-regulation-bureau"]),
        ]
        #expect(Set(derived.map(\.id)) == Set(expected.map(\.id)))
        for item in expected {
            let duty = try #require(Self.duty(item.id, in: units), "\(item.id)")
            let source = try #require(Self.duty(item.source, in: units), "\(item.source)")
            #expect(duty.sourceDutyId == item.source)
            #expect(duty.role == item.role, "\(item.id)")
            #expect(duty.partnerUnitIds == item.partners, "\(item.id)")
            #expect(duty.text == source.text && duty.topics == source.topics && duty.scope == source.scope, "\(item.id)")
            #expect(duty.sharedKey == nil && duty.sharedWith.isEmpty)
        }
        // The family-education item, in full.
        #expect(Self.duty("education-bureau/14", in: units) == Duty(
            id: "education-bureau/14", text: "会同教育部门办好家长学校", topics: [.familyEducation], sharedKey: nil, sharedWith: [],
            scope: nil, role: .assisting, partnerUnitIds: ["womens-federation"], sourceDutyId: "womens-federation/1"))
    }

    /// 县行政审批局 会同文旅、科经部门; 文旅局 and 科经局 each 配合审批部门 in their own
    /// paragraph: their own words are their part, so nothing is derived either way.
    @Test func aPartnerWhoseOwnParagraphStatesItsPartGetsNothingDerived() throws {
        let units = try Self.units()
        for id in ["culture-tourism-bureau", "science-economy-bureau"] {
            let unit = try #require(units.first { $0.id == id })
            #expect(!unit.duties.contains { $0.sourceDutyId == "administrative-approval-bureau/1" })
            #expect(!unit.topics.contains(.registration), "\(id) registers nothing in the notice")
        }
        let approval = try #require(units.first { $0.id == "administrative-approval-bureau" })
        #expect(!approval.duties.contains { ["science-economy-bureau/2", "culture-tourism-bureau/2"].contains($0.sourceDutyId) })
    }

    @Test func aUnitStoredBeforeRolesDecodesAsLeadingWithNoPartners() throws {
        let json = #"{"id": "x/1", "text": "负责样例工作", "topics": ["fees"], "sharedWith": []}"#
        let duty = try JSONDecoder().decode(Duty.self, from: Data(json.utf8))
        #expect(duty == Duty(id: "x/1", text: "负责样例工作", topics: [.fees], sharedKey: nil, sharedWith: []))
        #expect(duty.role == .lead && duty.partnerUnitIds.isEmpty && duty.sourceDutyId == nil)
        // And a derived item keeps what it says.
        let derived = try #require(Self.duty("finance-bureau/2", in: try Self.units()))
        #expect(try JSONDecoder().decode(Duty.self, from: JSONEncoder().encode(derived)) == derived)
    }

    // MARK: The seed's checks

    static func mutated(_ change: (inout MechanismSeed) -> Void) throws -> [SeedProblem] {
        var seed = try MechanismSeed.bundled()
        change(&seed)
        return seed.problems()
    }

    static func at(_ unit: String, _ seed: MechanismSeed) -> Int { seed.units.firstIndex { $0.id == unit }! }

    @Test func aRoleMustMatchTheWording() throws {
        var problems = try Self.mutated { seed in seed.units[Self.at("womens-federation", seed)].duties[0].role = "assisting" }
        #expect(problems == [.roleContradictsWording(duty: "womens-federation/1", role: "assisting", expected: "lead")])
        problems = try Self.mutated { seed in seed.units[Self.at("culture-tourism-bureau", seed)].duties[3].role = "lead" }
        #expect(problems == [.roleContradictsWording(duty: "culture-tourism-bureau/4", role: "lead", expected: "assisting")])
        problems = try Self.mutated { $0.units[0].duties[0].role = "leading" }
        #expect(problems == [.unknownDutyRole(duty: "organization-department/1", role: "leading")])
    }

    @Test func aHuiTongOrPeiHeSentenceMustRecordItsPartners() throws {
        var problems = try Self.mutated { seed in seed.units[Self.at("womens-federation", seed)].duties[0].partnerUnitIds = nil }
        #expect(problems == [.verbWithoutPartners(duty: "womens-federation/1", verb: "会同")])
        problems = try Self.mutated { seed in seed.units[Self.at("education-bureau", seed)].duties[1].unnamedPartners = nil }
        #expect(problems == [.verbWithoutPartners(duty: "education-bureau/2", verb: "会同")])
        problems = try Self.mutated { seed in seed.units[Self.at("education-bureau", seed)].duties[1].unnamedPartners = "其他部门" }
        #expect(problems == [.unnamedPartnersNotInText(duty: "education-bureau/2", words: "其他部门")])
        problems = try Self.mutated { $0.units[0].duties[0].partnerUnitIds = ["education-bureau"] }
        #expect(problems.contains(.partnersWithoutVerb(duty: "organization-department/1")))
    }

    @Test func everyPartnerIsAMemberUnitTheSentenceNames() throws {
        var problems = try Self.mutated { seed in
            seed.units[Self.at("development-reform-bureau", seed)].duties[0].partnerUnitIds = ["finance-bureau", "tax-bureau"]
        }
        #expect(problems == [.partnerUnknownUnit(duty: "development-reform-bureau/1", unit: "tax-bureau")])
        // 人社局 is no partner of "会同财政、教育等部门…".
        problems = try Self.mutated { seed in
            seed.units[Self.at("development-reform-bureau", seed)].duties[0].partnerUnitIds = ["finance-bureau", "human-resources-bureau"]
        }
        #expect(problems == [.partnerNotNamed(duty: "development-reform-bureau/1", partner: "human-resources-bureau")])
        problems = try Self.mutated { seed in
            seed.units[Self.at("womens-federation", seed)].duties[0].partnerUnitIds = ["womens-federation"]
        }
        #expect(problems == [.partnerIsOwnUnit(duty: "womens-federation/1")])
        problems = try Self.mutated { seed in
            seed.units[Self.at("womens-federation", seed)].duties[0].partnerUnitIds = ["education-bureau", "education-bureau"]
        }
        #expect(problems == [.partnerRepeated(duty: "womens-federation/1", unit: "education-bureau")])
        problems = try Self.mutated { seed in
            seed.units[Self.at("youth-league-committee", seed)].duties[0].partnerUnitIds = ["education-bureau", "science-association"]
        }
        #expect(problems.contains(.partnerAlsoSharer(duty: "youth-league-committee/1", unit: "science-association")))
        problems = try Self.mutated { seed in seed.units[Self.at("finance-bureau", seed)].referredToAs = ["财务"] }
        #expect(problems.contains(.referenceNotInNotice(unit: "finance-bureau", words: "财务")))
        #expect(problems.contains(.partnerNotNamed(duty: "development-reform-bureau/1", partner: "finance-bureau")))
    }

    @Test func everyHuiTongAndPeiHeOfAParagraphIsInTheSeed() throws {
        // 市场监管局's law-enforcement item cut back to "加大执法检查力度": its 会同 is lost.
        let problems = try Self.mutated { seed in
            let market = Self.at("market-regulation-bureau", seed)
            seed.units[market].duties[4].text = "加大执法检查力度"
            seed.units[market].duties[4].partnerUnitIds = nil
        }
        #expect(problems == [.paragraphVerbsUncovered(
            paragraph: 15, unit: "market-regulation-bureau", verb: "会同", inParagraph: 2, inDuties: 1)])
    }

    @Test func twoUnitsNamingEachOtherCannotBothLead() throws {
        let problems = try Self.mutated { seed in
            let culture = Self.at("culture-tourism-bureau", seed)
            seed.units[culture].duties[1].text = "会同审批部门做好有关审批工作"
            seed.units[culture].duties[1].role = "lead"
            let paragraph = seed.units[culture].duties[1].paragraph - 1
            seed.dutyParagraphs[paragraph].text = seed.dutyParagraphs[paragraph].text
                .replacingOccurrences(of: "配合审批部门做好有关审批工作", with: "会同审批部门做好有关审批工作")
        }
        #expect(problems.contains(.mirroredRolesClash(duty: "culture-tourism-bureau/2", partnerDuty: "administrative-approval-bureau/1")))
        #expect(problems.contains(.mirroredRolesClash(duty: "administrative-approval-bureau/1", partnerDuty: "culture-tourism-bureau/2")))
    }
}
