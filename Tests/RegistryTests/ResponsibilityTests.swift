import Foundation
import Testing

@testable import Registry

/// Deriving an institution's responsible units from the duty matrix.
@Suite struct ResponsibilityTests {
    static func units() throws -> [MemberUnit] { try MechanismSeed.bundled().memberUnits() }

    static let education = "education-bureau"
    static let science = "science-economy-bureau"
    static let civilAffairs = "civil-affairs-bureau"
    static let culture = "culture-tourism-bureau"
    static let market = "market-regulation-bureau"
    static let approval = "administrative-approval-bureau"

    /// Every category × profit type, with the units the notice makes responsible
    /// (in each part the units that lead first, then the notice's order).
    static let cases: [(InstitutionCategory, Bool, ResponsibleUnits)] = [
        // 学科类: the education bureau approves (our reading); 民政局 registers
        // non-profits; nobody registers a for-profit one.
        (.subject, true, ResponsibleUnits(
            approving: [education], registering: [civilAffairs], standardSetting: [], supervising: [education, market])),
        (.subject, false, ResponsibleUnits(
            approving: [education], registering: [], standardSetting: [], supervising: [education, market])),
        // 体育艺术类: 行政审批局 leads, 文旅局 配合审批部门. 市场监管局 registers
        // non-subject institutions whatever their profit type, as the notice says.
        (.sportsArts, true, ResponsibleUnits(
            approving: [approval, culture], registering: [civilAffairs, market, approval], standardSetting: [culture],
            supervising: [education, culture, market])),
        (.sportsArts, false, ResponsibleUnits(
            approving: [approval, culture], registering: [market, approval], standardSetting: [culture],
            supervising: [education, culture, market])),
        // 科技类: 行政审批局 leads, 科经局 配合审批部门.
        (.scienceTechnology, true, ResponsibleUnits(
            approving: [approval, science], registering: [civilAffairs, market, approval], standardSetting: [science],
            supervising: [education, science, market])),
        (.scienceTechnology, false, ResponsibleUnits(
            approving: [approval, science], registering: [market, approval], standardSetting: [science],
            supervising: [education, science, market])),
        // Other 非学科类: 行政审批局 alone; no standard in the notice.
        (.otherNonSubject, true, ResponsibleUnits(
            approving: [approval], registering: [civilAffairs, market, approval], standardSetting: [],
            supervising: [education, market])),
        (.otherNonSubject, false, ResponsibleUnits(
            approving: [approval], registering: [market, approval], standardSetting: [],
            supervising: [education, market])),
    ]

    @Test func everyCategoryAndProfitTypeIsCovered() {
        let covered = Set(Self.cases.map { "\($0.0.rawValue)/\($0.1)" })
        #expect(covered.count == InstitutionCategory.allCases.count * 2)
    }

    @Test(arguments: 0..<8)
    func derivesResponsibleUnits(_ index: Int) throws {
        let (category, nonProfit, expected) = Self.cases[index]
        let derived = Responsibility.derive(category: category, nonProfit: nonProfit, units: try Self.units())
        #expect(derived == expected, "\(category.rawValue), nonProfit \(nonProfit)")
    }

    @Test func gapsNameWhatTheNoticeLeavesOpen() throws {
        let units = try Self.units()
        #expect(Responsibility.gaps(category: .sportsArts, nonProfit: false, units: units) == [])
        #expect(Responsibility.gaps(category: .subject, nonProfit: false, units: units) == [
            "no member unit registers a for-profit subject institution",
            "no member unit sets the approval standard for a for-profit subject institution",
        ])
        #expect(Responsibility.gaps(category: .otherNonSubject, nonProfit: true, units: units) == [
            "no member unit sets the approval standard for a non-profit other-non-subject institution"
        ])
    }

    /// The answer comes from the matrix, not from unit ids: a unit admitted
    /// later with a scoped duty takes part, and a unit losing a duty drops out.
    @Test func derivationFollowsTheCurrentMatrix() throws {
        var units = try Self.units()
        var admitted = units[0]
        admitted.id = "sports-bureau"
        admitted.name = "县体育局"
        admitted.aliases = []
        admitted.duties = [
            Duty(
                id: "sports-bureau/1", text: "制定体育类非学科校外培训机构审批标准", topics: [.approvalStandards, .approval],
                sharedKey: nil, sharedWith: [], scope: DutyScope(categories: [.sportsArts]))
        ]
        units.append(admitted)
        let sports = Responsibility.derive(category: .sportsArts, nonProfit: false, units: units)
        // Leads first (行政审批局, then the new unit, in the order given), then 文旅局, which assists.
        #expect(sports.approving == [Self.approval, "sports-bureau", Self.culture])
        #expect(sports.standardSetting == [Self.culture, "sports-bureau"])
        let science = Responsibility.derive(category: .scienceTechnology, nonProfit: false, units: units)
        #expect(!science.approving.contains("sports-bureau"))

        // Without a coordinating unit nobody approves subject-based institutions.
        let education = units.firstIndex { $0.id == Self.education }!
        units[education].duties.removeAll { $0.topics.contains(.coordination) }
        #expect(Responsibility.derive(category: .subject, nonProfit: true, units: units).approving == [])
        #expect(Responsibility.gaps(category: .subject, nonProfit: true, units: units).first
            == "no member unit approves a non-profit subject institution")
    }

    @Test func unitsResponsibleForATopic() throws {
        let units = try Self.units()
        // 县发改局:"负责会同财政、教育等部门制定学校课后服务性收费或代收费标准": the lead, then its partners.
        #expect(Responsibility.units(responsibleFor: .fees, in: units).map(\.name) == ["县发改局", "县教育局", "县财政局"])
        #expect(Responsibility.units(responsibleFor: .fireSafety, in: units).map(\.name) == [
            "县公安局", "县住建局", "县应急管理局", "县人防办", "县消防救援大队",
        ])
        #expect(Responsibility.units(responsibleFor: .registration, in: units).map(\.name) == [
            "县民政局", "县市场监管局", "县行政审批局",
        ])
        #expect(Responsibility.units(responsibleFor: .familyEducation, in: units).map(\.name) == ["县妇联", "县教育局"])
        #expect(Responsibility.units(responsibleFor: .afterSchoolService, in: units).first?.name == "县教育局")
        #expect(Responsibility.role(of: units.first { $0.id == Self.education }!, for: .familyEducation) == .assisting)
        #expect(Responsibility.role(of: units.first { $0.id == Self.education }!, for: .afterSchoolService) == .lead)
        #expect(Responsibility.role(of: units.first { $0.id == Self.education }!, for: .fireSafety) == nil)
        #expect(Responsibility.units(responsibleFor: .fees, in: []) == [])
        // Scoped: who registers a non-profit science-tech institution.
        #expect(
            Responsibility.units(responsibleFor: .registration, category: .scienceTechnology, nonProfit: true, in: units)
                .map(\.id) == [Self.civilAffairs, Self.market, Self.approval])
    }

    @Test func scopeCoverage() {
        let scope = DutyScope(categories: [.sportsArts, .scienceTechnology], nonProfit: false)
        #expect(scope.covers(category: .sportsArts, nonProfit: false))
        #expect(!scope.covers(category: .sportsArts, nonProfit: true))
        #expect(!scope.covers(category: .subject, nonProfit: false))
        #expect(DutyScope().covers(category: .subject, nonProfit: true))
        #expect(DutyScope(nonProfit: true).covers(category: .otherNonSubject, nonProfit: true))
        let unscoped = Duty(id: "x/1", text: "x", topics: [.approval], sharedKey: nil, sharedWith: [])
        #expect(unscoped.covers(category: .subject, nonProfit: false))
    }

    @Test func unitTopicsAreListedOnce() throws {
        let units = try Self.units()
        let market = try #require(units.first { $0.id == Self.market })
        // Its own items' topics, then daily supervision from 科经局's and 文旅局's 会同 sentences.
        #expect(market.topics == [.registration, .priceSupervision, .advertising, .antiMonopoly, .lawEnforcement, .dailySupervision])
        let women = try #require(units.first { $0.id == "womens-federation" })
        #expect(women.topics == [.familyEducation])
    }
}
