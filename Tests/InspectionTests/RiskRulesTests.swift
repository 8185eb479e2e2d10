import Domain
import Foundation
import Testing

@testable import Inspection

/// Rules/scoring.json: the shipped file loads; a bad one is refused with
/// every problem named at once.
struct RiskRulesTests {
    @Test func theShippedRulesLoad() throws {
        let rules = try RiskRules.bundled()
        #expect(rules.windowDays == 30 && rules.halfLifeDays == 7)
        #expect(rules.thresholds == [.blue: 2, .yellow: 4, .orange: 6, .red: 8])
        #expect(rules.kinds[.hotlineComplaint]?.weight == 1)
        #expect(rules.kinds[.prepaidFundAlert]?.topics == [.prepaidFeeRisk, .fees])
        #expect(rules.specialStudy == .init(level: .red, withinWorkingDays: 2))
        #expect(rules.level(for: 1.99) == nil && rules.level(for: 2) == .blue && rules.level(for: 8.5) == .red)
    }

    /// A red warning asks its lead units to act and the assisting units
    /// (配合单位) to assist; a lead unit is never asked to assist itself, so
    /// where every unit leads there is no 配合 step.
    @Test func assistingStepsGoOnlyToUnitsThatDoNotLead() throws {
        let rules = try RiskRules.bundled()
        let now = Date(timeIntervalSince1970: 1_795_749_976)  // Fri 2026-11-27
        let explanation = Explanation(
            evaluatedAt: now, windowDays: 30, windowStart: now.addingTimeInterval(-30 * 86_400), halfLifeDays: 7,
            score: 8, level: .red, threshold: 8, thresholds: [:], receivedAfter: nil, contributions: [])
        let subject = Subject(kind: .topic, key: "topic:x", name: "x")
        func steps(_ roles: [DutyRole]) -> [String] {
            let units = roles.enumerated().map { ResponsibleUnit(unitId: "u\($0.offset)", name: "单位\($0.offset)", role: $0.element, basis: []) }
            return Warning.raise(
                id: UUID(), subject: subject, explanation: explanation, units: units, rules: rules, calendar: .china, at: now
            ).handlingSteps.map { "\($0.unitId) \($0.title)" }
        }
        #expect(steps([.lead, .assisting]) == ["u0 立即处置，并将处置情况报协调机制办公室", "u1 按照职责分工配合做好应急处置工作"])
        #expect(steps([.lead, .lead]) == ["u0 立即处置，并将处置情况报协调机制办公室", "u1 立即处置，并将处置情况报协调机制办公室"])
        #expect(steps([.assisting, .assisting]) == ["u0 立即处置，并将处置情况报协调机制办公室", "u1 立即处置，并将处置情况报协调机制办公室"])
    }

    @Test func aBadFileNamesEveryProblem() throws {
        let json = """
            {
              "version": 2, "windowDays": 0, "halfLifeDays": -1,
              "signalTypes": {
                "hotline-complaint": { "weight": 0, "topics": ["weather"] },
                "petition": { "weight": 1, "topics": [] },
                "gossip": { "weight": 1, "topics": ["fees"] },
                "prepaid-fund-alert": { "weight": 1, "topics": ["fees"] },
                "safety-incident": { "weight": 1, "topics": ["fire-safety"] }
              },
              "severity": { "low": 2, "medium": 1, "high": 3 },
              "thresholds": { "blue": 5, "yellow": 4, "orange": 6, "red": 8, "purple": 9 },
              "handling": {
                "blue": [{ "title": " ", "who": "someone", "workingDays": 0 }],
                "yellow": [], "orange": [{ "title": "处置", "who": "all", "workingDays": 2 }]
              },
              "specialStudy": { "level": "crimson", "withinWorkingDays": 0 }
            }
            """
        let error = try #require(throws: RiskRulesError.self) { try RiskRules(json: Data(json.utf8)) }
        #expect(error.problems == [
            "version must be 1, not 2",
            "windowDays must be 1 to 366, not 0",
            "halfLifeDays must be positive, not -1.0",
            "signalTypes.gossip: not a signal type (hotline-complaint, petition, prepaid-fund-alert, safety-incident, public-opinion)",
            "signalTypes.hotline-complaint.weight must be positive, not 0.0",
            "signalTypes.hotline-complaint.topics: \"weather\" is not a duty topic",
            "signalTypes.petition.topics must name at least one duty topic",
            "signalTypes.public-opinion is missing",
            "severity.critical is missing",
            "thresholds.purple: not a level (blue, yellow, orange, red)",
            "thresholds must rise strictly from blue to red",
            "handling.blue[0].title must not be empty",
            "handling.blue[0].workingDays must be 1 to 60, not 0",
            "handling.blue[0].who must be lead, assisting or all, not \"someone\"",
            "handling.yellow must have at least one step",
            "handling.red is missing",
            "specialStudy.level must be a level (blue, yellow, orange, red), not \"crimson\"",
            "specialStudy.withinWorkingDays must be 1 to 30, not 0",
        ])
        #expect(error.description.hasPrefix("Rules/scoring.json is invalid (18 problems):"))
    }

    @Test func fallingSeverityFactorsAreRefused() throws {
        var file = try JSONSerialization.jsonObject(with: try shippedJSON()) as! [String: Any]
        file["severity"] = ["low": 2, "medium": 1, "high": 3, "critical": 4]
        let error = try #require(throws: RiskRulesError.self) {
            try RiskRules(json: try JSONSerialization.data(withJSONObject: file))
        }
        #expect(error.problems == ["severity factors must not fall from low to critical"])
    }

    func shippedJSON() throws -> Data {
        try Data(contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Services/Inspection/Rules/scoring.json"))
    }
}
