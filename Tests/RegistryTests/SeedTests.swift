import Domain
import Foundation
import Testing

@testable import Registry

/// Seed/mechanism.json against the county notice (房政办函〔2022〕37号).
@Suite struct SeedTests {
    static func seed() throws -> MechanismSeed { try MechanismSeed.bundled() }
    static func units() throws -> [MemberUnit] { try seed().memberUnits() }
    /// The units with their own items only (no derived ones).
    static func ownUnits() throws -> [MemberUnit] {
        try units().map { unit in
            var own = unit
            own.duties = unit.duties.filter(\.isOwn)
            return own
        }
    }

    /// 二(一) 成员单位, in the notice's order (县消防教援大队 is spelt as in 职责分工).
    static let expectedUnits: [(id: String, name: String)] = [
        ("organization-department", "县委组织部"),
        ("publicity-department", "县委宣传部(县委网信办)"),
        ("political-legal-committee", "县委政法委"),
        ("staffing-office", "县委编办"),
        ("education-bureau", "县教育局"),
        ("petition-bureau", "县信访局"),
        ("development-reform-bureau", "县发改局"),
        ("science-economy-bureau", "县科经局"),
        ("public-security-bureau", "县公安局"),
        ("civil-affairs-bureau", "县民政局"),
        ("justice-bureau", "县司法局"),
        ("finance-bureau", "县财政局"),
        ("human-resources-bureau", "县人社局"),
        ("housing-construction-bureau", "县住建局"),
        ("culture-tourism-bureau", "县文旅局"),
        ("health-bureau", "县卫健局"),
        ("emergency-management-bureau", "县应急管理局"),
        ("market-regulation-bureau", "县市场监管局"),
        ("civil-air-defense-office", "县人防办"),
        ("financial-affairs-office", "县金融办"),
        ("administrative-approval-bureau", "县行政审批局"),
        ("pboc-fangxian-branch", "人行房县支行"),
        ("youth-league-committee", "团县委"),
        ("womens-federation", "县妇联"),
        ("science-association", "县科协"),
        ("fire-rescue-brigade", "县消防救援大队"),
    ]

    @Test func bundledSeedLoadsAndValidates() throws {
        let seed = try Self.seed()
        #expect(seed.problems() == [])
        try seed.validate()
    }

    @Test func noticeFacts() throws {
        let notice = try Self.seed().notice
        #expect(notice.title == "房县人民政府办公室关于建立房县“双减”工作专门协调机制的通知")
        #expect(notice.number == "房政办函〔2022〕37号")
        #expect(notice.date.description == "2022-10-25")
        #expect(notice.issuer == "房县人民政府办公室")
    }

    @Test func twentySixUnitsWithTheNoticesNamesInItsOrder() throws {
        let units = try Self.units()
        #expect(units.count == 26)
        #expect(units.map(\.id) == Self.expectedUnits.map(\.id))
        #expect(units.map(\.name) == Self.expectedUnits.map(\.name))
    }

    @Test func memberListSentenceIsTheNoticesAndMatchesTheUnits() throws {
        let seed = try Self.seed()
        #expect(seed.notice.memberList.hasPrefix("协调机制由县委组织部、县委宣传部(县委网信办)、县委政法委、"))
        #expect(seed.notice.memberList.hasSuffix("县科协、县消防教援大队等部门组成。"))
    }

    @Test func fireRescueBrigadeKeepsTheMemberListsTypoAsAlias() throws {
        let units = try Self.units()
        let brigade = try #require(units.first { $0.id == "fire-rescue-brigade" })
        #expect(brigade.name == "县消防救援大队")
        #expect(brigade.aliases == ["县消防教援大队"])
        #expect(brigade.isCalled("县消防教援大队"))
        let publicity = try #require(units.first { $0.id == "publicity-department" })
        #expect(publicity.aliases == ["县委宣传部", "县委网信办"])
        #expect(try Self.seed().unit(named: "县委网信办")?.id == "publicity-department")
        // Everyone else has no alias.
        #expect(units.filter { !$0.aliases.isEmpty }.map(\.id) == ["publicity-department", "fire-rescue-brigade"])
    }

    @Test func seededUnitsAreAdmittedByTheNoticeOnItsDate() throws {
        let units = try Self.units()
        // 2022-10-25 00:00 Asia/Shanghai = 2022-10-24 16:00 UTC.
        let expected = Date(timeIntervalSince1970: 1_666_627_200)
        for unit in units {
            #expect(unit.admission == Admission(reference: "房政办函〔2022〕37号", admittedAt: expected, proposalId: nil))
            #expect(unit.version == 1)
            #expect(unit.updatedAt == expected)
            #expect(unit.memberId == nil && unit.liaisonId == nil)
            #expect(unit.contact == UnitContact())
            #expect(!unit.duties.isEmpty, "\(unit.name) has no duty")
            #expect(unit.duties.map(\.id) == unit.duties.indices.map { "\(unit.id)/\($0 + 1)" })
        }
        let now = Date(timeIntervalSince1970: 1_750_000_000)
        #expect(try Self.seed().memberUnits(updatedAt: now).allSatisfy { $0.updatedAt == now })
    }

    /// Who answers for each topic, read off 职责分工: the units that lead first,
    /// then those that assist (a partner named in another unit's 会同 / 配合
    /// sentence included), each in the notice's order. Every topic is listed,
    /// so this is the whole duty matrix seen by topic.
    static let unitsByTopic: [DutyTopic: [String]] = [
        .partyBuilding: ["organization-department"],
        .publicity: ["publicity-department"],
        .advertising: ["publicity-department", "market-regulation-bureau"],
        .textbooks: ["publicity-department"],
        .stability: ["political-legal-committee", "petition-bureau", "public-security-bureau", "justice-bureau"],
        .staffing: ["staffing-office"],
        .coordination: ["education-bureau"],
        // 科经局 and 文旅局 会同市场监管、教育部门 for their categories.
        .dailySupervision: ["education-bureau", "science-economy-bureau", "culture-tourism-bureau", "market-regulation-bureau"],
        .schoolQuality: ["education-bureau"],
        .homework: ["education-bureau"],
        // 发改局 会同财政、教育等部门.
        .fees: ["development-reform-bureau", "education-bureau", "finance-bureau"],
        .approvalStandards: ["science-economy-bureau", "culture-tourism-bureau"],
        // 行政审批局 leads; 科经局 and 文旅局 配合审批部门.
        .approval: ["administrative-approval-bureau", "science-economy-bureau", "culture-tourism-bureau"],
        .registration: ["civil-affairs-bureau", "market-regulation-bureau", "administrative-approval-bureau"],
        .funding: ["finance-bureau"],
        .teacherIncentives: ["organization-department", "human-resources-bureau"],
        .publicSecurity: ["public-security-bureau"],
        .fireSafety: [
            "public-security-bureau", "housing-construction-bureau", "emergency-management-bureau",
            "civil-air-defense-office", "fire-rescue-brigade",
        ],
        .earthquakeSafety: [
            "public-security-bureau", "housing-construction-bureau", "emergency-management-bureau",
            "civil-air-defense-office", "fire-rescue-brigade",
        ],
        .facilitySafety: [
            "public-security-bureau", "housing-construction-bureau", "emergency-management-bureau",
            "civil-air-defense-office", "fire-rescue-brigade",
        ],
        .epidemicPrevention: ["health-bureau"],
        .priceSupervision: ["market-regulation-bureau"],
        .antiMonopoly: ["market-regulation-bureau"],
        // 市场监管局 会同教育部门依法依规严肃查处违法违规培训行为.
        .lawEnforcement: ["market-regulation-bureau", "financial-affairs-office", "pboc-fangxian-branch", "education-bureau"],
        .prepaidFeeRisk: ["financial-affairs-office", "pboc-fangxian-branch"],
        .financing: ["financial-affairs-office", "pboc-fangxian-branch"],
        // 县教育局 leads: 文旅局, 团县委, 县科协 配合教育部门做好课后服务; 发改局
        // sets its fees, 财政局 funds it, 人社局 counts teachers' part in it.
        .afterSchoolService: [
            "education-bureau", "development-reform-bureau", "finance-bureau", "human-resources-bureau",
            "culture-tourism-bureau", "youth-league-committee", "science-association",
        ],
        // 县妇联 会同教育部门办好家长学校.
        .familyEducation: ["womens-federation", "education-bureau"],
    ]

    @Test func everyTopicHasItsExpectedUnits() throws {
        #expect(Set(Self.unitsByTopic.keys) == Set(DutyTopic.allCases))
        let units = try Self.units()
        for topic in DutyTopic.allCases {
            #expect(
                Responsibility.units(responsibleFor: topic, in: units).map(\.id) == Self.unitsByTopic[topic],
                "topic \(topic.rawValue)")
        }
    }

    @Test func dutiesAreSplitPerResponsibility() throws {
        let units = try Self.units()
        func duties(_ id: String) -> [Duty] { units.first { $0.id == id }?.duties ?? [] }

        let market = duties("market-regulation-bureau").filter(\.isOwn)
        #expect(market.map(\.topics) == [[.registration], [.priceSupervision], [.advertising], [.antiMonopoly], [.lawEnforcement]])
        #expect(market[0].text == "会同行政审批部门做好非学科类培训机构登记工作")
        #expect(market[4].text.contains("会同教育部门依法依规严肃查处违法违规培训行为"))

        // 县公安局: its own paragraph (three items) and the shared safety duty.
        let police = duties("public-security-bureau")
        #expect(police.count == 4)
        #expect(police[0...2].allSatisfy { $0.sharedKey == nil })
        #expect(police[3].sharedKey == "institution-safety")
        #expect(police[3].topics == [.fireSafety, .earthquakeSafety, .facilitySafety])

        #expect(duties("education-bureau").filter(\.isOwn).count == 6)
        #expect(duties("civil-affairs-bureau").map(\.text) == ["做好非营利性培训机构法人登记工作"])
        #expect(duties("publicity-department")[1].topics == [.advertising, .textbooks])
        #expect(duties("financial-affairs-office").map(\.sharedKey) == ["finance-law-enforcement", "prepaid-fee-risk", "financing"])
    }

    @Test func scopesNarrowDutiesAsTheNoticeDoes() throws {
        let units = try Self.ownUnits()
        func scopes(_ id: String) -> [DutyScope?] { units.first { $0.id == id }?.duties.map(\.scope) ?? [] }
        let nonSubject: [InstitutionCategory] = [.sportsArts, .scienceTechnology, .otherNonSubject]
        #expect(scopes("civil-affairs-bureau") == [DutyScope(categories: nil, nonProfit: true)])
        // "负责会同行政审批部门做好非学科类培训机构登记工作": non-subject, no profit limit.
        #expect(scopes("market-regulation-bureau")[0] == DutyScope(categories: nonSubject, nonProfit: nil))
        #expect(scopes("administrative-approval-bureau") == [DutyScope(categories: nonSubject, nonProfit: nil)])
        #expect(scopes("science-economy-bureau") == Array(repeating: DutyScope(categories: [.scienceTechnology]), count: 3))
        #expect(scopes("culture-tourism-bureau") == Array(repeating: DutyScope(categories: [.sportsArts]), count: 3) + [nil])
        // Scopes only where the notice narrows a duty (own items; a derived
        // item keeps its sentence's scope).
        let scoped = units.filter { $0.duties.contains { $0.isOwn && $0.scope != nil } }.map(\.id)
        #expect(scoped == [
            "science-economy-bureau", "civil-affairs-bureau", "culture-tourism-bureau", "market-regulation-bureau",
            "administrative-approval-bureau",
        ])
    }

    static let sharedGroups: [String: Set<String>] = [
        "stability": ["political-legal-committee", "justice-bureau", "petition-bureau"],
        "institution-safety": [
            "emergency-management-bureau", "housing-construction-bureau", "public-security-bureau",
            "civil-air-defense-office", "fire-rescue-brigade",
        ],
        "finance-law-enforcement": ["financial-affairs-office", "pboc-fangxian-branch"],
        "prepaid-fee-risk": ["financial-affairs-office", "pboc-fangxian-branch"],
        "financing": ["financial-affairs-office", "pboc-fangxian-branch"],
        "after-school-venues": ["youth-league-committee", "science-association"],
    ]

    @Test func sharedDutiesAreConsistent() throws {
        let units = try Self.units()
        var groups: [String: Set<String>] = [:]
        for unit in units {
            for duty in unit.duties {
                guard let key = duty.sharedKey else {
                    #expect(duty.sharedWith.isEmpty)
                    continue
                }
                groups[key, default: []].insert(unit.id)
                #expect(!duty.sharedWith.contains(unit.id))
                for partner in duty.sharedWith {
                    let theirs = try #require(units.first { $0.id == partner }?.duties.first { $0.sharedKey == key })
                    #expect(Set(theirs.sharedWith + [partner]) == Set(duty.sharedWith + [unit.id]))
                    #expect(theirs.text == duty.text && theirs.topics == duty.topics)
                }
            }
        }
        #expect(groups == Self.sharedGroups)
    }

    @Test func everyUnitAppearsInTheDutyParagraphs() throws {
        let seed = try Self.seed()
        #expect(seed.dutyParagraphs.count == 19)
        var named = Set<String>()
        for paragraph in seed.dutyParagraphs {
            for name in paragraph.unitNames {
                let unit = try #require(seed.unit(named: name), "\(name)")
                named.insert(unit.id)
            }
        }
        #expect(named == Set(Self.expectedUnits.map(\.id)))
        #expect(seed.dutyParagraphs[11].heading == "县应急管理局、县住建局、县公安局、县人防办、县消防救援大队")
    }

    /// Items are the notice's words: each is an excerpt of its paragraph,
    /// except two that 县市场监管局's list "价格监管检查、广告监管和培训领域垄断线索排查"
    /// runs together.
    @Test func dutyTextsAreExcerptsOfTheirParagraph() throws {
        let seed = try Self.seed()
        let reconstructed: Set<String> = ["加强校外培训机构广告监管", "加强培训领域垄断线索排查"]
        for unit in seed.units {
            for duty in unit.duties where !reconstructed.contains(duty.text) {
                #expect(seed.dutyParagraphs[duty.paragraph - 1].text.contains(duty.text), "\(unit.id): \(duty.text)")
            }
        }
        let market = try #require(seed.units.first { $0.id == "market-regulation-bureau" })
        #expect(Set(market.duties.map(\.text)).isSuperset(of: reconstructed))
    }

    @Test func positionsAreTheTwoConvenersAndTheOffice() throws {
        let seed = try Self.seed()
        #expect(seed.positions() == [
            MechanismPosition(id: "convener-county-government", title: "县政府分管教育领导", unitId: nil, holderId: nil),
            MechanismPosition(id: "convener-education-bureau", title: "县教育局主要负责同志", unitId: "education-bureau", holderId: nil),
            MechanismPosition(id: "office", title: "协调机制办公室", unitId: "education-bureau", holderId: nil),
        ])
        #expect(seed.positionEntries.map(\.role) == ["convener", "convener", "office"])
        #expect(seed.positionEntries[2].seat == "县教育局基础教育股")
    }

    // MARK: Validation catches mistakes

    static func mutated(_ change: (inout MechanismSeed) -> Void) throws -> [SeedProblem] {
        var seed = try seed()
        change(&seed)
        return seed.problems()
    }

    static func index(_ id: String, _ seed: MechanismSeed) -> Int { seed.units.firstIndex { $0.id == id }! }

    @Test func missingUnitIsReported() throws {
        let problems = try Self.mutated { $0.units.removeLast() }
        #expect(problems.contains(.unitCount(expected: 26, actual: 25)))
        #expect(problems.contains(.memberListCount(expected: 25, actual: 26)))
        #expect(problems.contains(.paragraphNamesUnknownUnit(paragraph: 12, name: "县消防救援大队")))
        #expect(problems.contains(.sharedWithUnknownUnit(duty: "public-security-bureau/4", unit: "fire-rescue-brigade")))
    }

    @Test func duplicateIdsNamesAndAliasesAreReported() throws {
        var problems = try Self.mutated { $0.units[1].id = "organization-department" }
        #expect(problems.contains(.duplicateUnitId("organization-department")))
        problems = try Self.mutated { $0.units[3].name = "县委组织部" }
        #expect(problems.contains(.duplicateUnitName("县委组织部")))
        problems = try Self.mutated { $0.units[0].aliases = ["县教育局"] }
        #expect(problems.contains(.aliasIsUnitName(alias: "县教育局", unit: "organization-department", nameOf: "education-bureau")))
        problems = try Self.mutated { $0.units[0].aliases = ["县委网信办"] }
        #expect(problems.contains(.aliasRepeated(alias: "县委网信办", units: ["organization-department", "publicity-department"])))
        problems = try Self.mutated { $0.units[0].id = "Organization_Department" }
        #expect(problems.contains(.malformedUnitId("Organization_Department")))
    }

    @Test func memberListOrderIsChecked() throws {
        let problems = try Self.mutated { $0.units.swapAt(0, 1) }
        #expect(problems.contains(.memberListMismatch(position: 1, listed: "县委组织部", unit: "publicity-department")))
        #expect(problems.contains(.memberListMismatch(position: 2, listed: "县委宣传部(县委网信办)", unit: "organization-department")))
        // The typo resolves only through the alias.
        let typo = try Self.mutated { $0.units[25].aliases = [] }
        #expect(typo.contains(.memberListMismatch(position: 26, listed: "县消防教援大队", unit: "fire-rescue-brigade")))
    }

    @Test func unknownTopicsAndCategoriesAreReported() throws {
        var problems = try Self.mutated { $0.units[0].duties[0].topics = ["party-building", "partybuilding"] }
        #expect(problems == [.unknownTopic(duty: "organization-department/1", topic: "partybuilding")])
        #expect(problems[0].description.contains("unknown topic \"partybuilding\""))
        problems = try Self.mutated { $0.units[0].duties[0].topics = [] }
        #expect(problems == [.noTopics(duty: "organization-department/1")])
        problems = try Self.mutated { seed in
            seed.units[Self.index("civil-affairs-bureau", seed)].duties[0].scope = .init(categories: ["music"], nonProfit: true)
        }
        #expect(problems == [.unknownCategory(duty: "civil-affairs-bureau/1", category: "music")])
    }

    @Test func dutiesMustComeFromTheirUnitsParagraph() throws {
        var problems = try Self.mutated { $0.units[0].duties[0].paragraph = 2 }
        #expect(problems == [.unitNotInParagraph(duty: "organization-department/1", paragraph: 2)])
        problems = try Self.mutated { $0.units[0].duties[0].paragraph = 40 }
        #expect(problems == [.paragraphOutOfRange(duty: "organization-department/1", paragraph: 40)])
        problems = try Self.mutated { seed in seed.units[Self.index("health-bureau", seed)].duties = [] }
        #expect(problems == [.noDuties(unit: "health-bureau"), .noDutyFromParagraph(unit: "health-bureau", paragraph: 14)])
    }

    @Test func inconsistentSharedDutiesAreReported() throws {
        // 司法局 drops the shared 维稳 duty: its partners point at nothing.
        var problems = try Self.mutated { seed in
            let justice = Self.index("justice-bureau", seed)
            seed.units[justice].duties[0].sharedKey = "stability-2"
        }
        #expect(problems.contains(.sharedPartnerMissingDuty(duty: "political-legal-committee/1", partner: "justice-bureau", key: "stability")))
        #expect(problems.contains(.sharedPartnerMissingDuty(duty: "justice-bureau/1", partner: "political-legal-committee", key: "stability-2")))

        // 信访局 forgets 司法局 in sharedWith.
        problems = try Self.mutated { seed in
            seed.units[Self.index("petition-bureau", seed)].duties[0].sharedWith = ["political-legal-committee"]
        }
        #expect(problems.contains(.sharedGroupMismatch(duty: "political-legal-committee/1", partner: "petition-bureau", key: "stability")))

        // Same key, different topics.
        problems = try Self.mutated { seed in
            seed.units[Self.index("fire-rescue-brigade", seed)].duties[0].topics = ["fire-safety"]
        }
        #expect(problems.contains(.sharedDutyDiffers(duty: "public-security-bureau/4", partner: "fire-rescue-brigade", key: "institution-safety")))

        problems = try Self.mutated { $0.units[0].duties[0].sharedWith = ["education-bureau"] }
        #expect(problems.contains(.sharedWithoutKey(duty: "organization-department/1")))
        problems = try Self.mutated { $0.units[0].duties[0].sharedKey = "alone" }
        #expect(problems == [.sharedKeyWithoutPartners(duty: "organization-department/1")])
        problems = try Self.mutated { seed in
            seed.units[Self.index("justice-bureau", seed)].duties[0].sharedWith! += ["justice-bureau"]
        }
        #expect(problems.contains(.sharedWithSelf(duty: "justice-bureau/1")))
    }

    @Test func positionsAreChecked() throws {
        var problems = try Self.mutated { $0.positionEntries[2].unitId = "education-office" }
        #expect(problems == [.positionUnitUnknown(position: "office", unit: "education-office")])
        problems = try Self.mutated { $0.positionEntries[0].role = "chair" }
        #expect(problems == [.unknownRole(position: "convener-county-government", role: "chair")])
        problems = try Self.mutated { $0.positionEntries.removeLast() }
        #expect(problems == [.missingPosition("office")])
    }

    @Test func invalidSeedThrowsListingEveryProblem() throws {
        var seed = try Self.seed()
        seed.units[0].duties[0].topics = ["nonsense"]
        seed.positionEntries[1].unitId = "nowhere"
        #expect(throws: MechanismSeedError.self) { try seed.memberUnits() }
        do {
            try seed.validate()
            Issue.record("validate() accepted an invalid seed")
        } catch {
            guard case .invalid(let problems) = error else { throw error }
            #expect(problems.count == 2)
            #expect(error.description.contains("2 problem(s)"))
            #expect(error.description.contains("position convener-education-bureau belongs to nowhere, which is no unit"))
        }
    }

    // MARK: Loading from a URL

    @Test func loadsFromAURLAndReportsBadFiles() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("seed-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }

        let copy = folder.appendingPathComponent("mechanism.json")
        try Data(contentsOf: try MechanismSeed.bundledURL()).write(to: copy)
        #expect(try MechanismSeed.load(from: copy) == Self.seed())

        let broken = folder.appendingPathComponent("broken.json")
        try Data(#"{"notice": {"title": "x"}}"#.utf8).write(to: broken)
        let undecodable = #expect(throws: MechanismSeedError.self) { try MechanismSeed.load(from: broken) }
        guard case .undecodable(let path, let reason) = undecodable else {
            Issue.record("expected .undecodable, got \(String(describing: undecodable))")
            return
        }
        #expect(path == broken.path)
        #expect(reason.contains(".notice.number is missing"), "\(reason)")

        let missing = folder.appendingPathComponent("missing.json")
        let unreadable = #expect(throws: MechanismSeedError.self) { try MechanismSeed.load(from: missing) }
        guard case .unreadable(let missingPath, _) = unreadable else {
            Issue.record("expected .unreadable, got \(String(describing: unreadable))")
            return
        }
        #expect(missingPath == missing.path)
    }

    @Test func seedRoundTripsThroughJSON() throws {
        let seed = try Self.seed()
        let data = try JSONEncoder().encode(seed)
        #expect(try MechanismSeed.decode(data) == seed)
        #expect(String(decoding: data, as: UTF8.self).contains(#""positions":"#))
    }
}
