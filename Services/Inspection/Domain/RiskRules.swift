import Domain
import Foundation

/// The scoring rules of 专题研判 (Rules/scoring.json; Rules/README.md says what
/// each member means): weights per signal kind, factors per severity, the
/// sliding window and decay, the four thresholds, and the handling steps and
/// special-study request each level brings. Loaded and checked at start:
/// a bad file stops the service, naming every problem.
struct RiskRules: Sendable, Equatable {
    struct KindRule: Sendable, Equatable {
        var weight: Double
        /// The duty-matrix topics a signal of this kind is about (its responsible units).
        var topics: [DutyTopic]
    }

    /// One handling (处置) step a level asks of its responsible units.
    struct StepRule: Sendable, Equatable {
        /// `lead`: the lead units (every unit when none leads); `assisting`: the
        /// others (配合单位; nobody when none leads, since all had the lead's
        /// step); `all`: every responsible unit.
        enum Who: String, Sendable, Equatable, CaseIterable { case lead, assisting, all }
        var title: String
        var who: Who
        var workingDays: Int
    }

    struct SpecialStudy: Sendable, Equatable {
        var level: WarningLevel
        /// The session should be held within this many working days.
        var withinWorkingDays: Int
    }

    var windowDays: Int
    var halfLifeDays: Double
    var kinds: [SignalKind: KindRule]
    var severityFactors: [SignalSeverity: Double]
    /// Lowest score of each level, ascending with the levels.
    var thresholds: [WarningLevel: Double]
    var handling: [WarningLevel: [StepRule]]
    var specialStudy: SpecialStudy

    var window: TimeInterval { Double(windowDays) * 86_400 }

    /// The highest level whose threshold `score` reaches, nil below blue.
    func level(for score: Double) -> WarningLevel? {
        WarningLevel.allCases.reversed().first { score >= (thresholds[$0] ?? .infinity) }
    }
}

struct RiskRulesError: Error, CustomStringConvertible, Equatable {
    var problems: [String]
    init(_ problems: [String]) { self.problems = problems }
    var description: String {
        "Rules/scoring.json is invalid (\(problems.count) problem\(problems.count == 1 ? "" : "s")):\n- "
            + problems.joined(separator: "\n- ")
    }
}

extension RiskRules {
    /// The rules shipped with the service (the `Rules` resource folder).
    static func bundled() throws -> RiskRules {
        guard let folder = Bundle.module.url(forResource: "Rules", withExtension: nil) else {
            throw RiskRulesError(["the Rules resource folder is missing from this build"])
        }
        let file = folder.appendingPathComponent("scoring.json")
        let data: Data
        do {
            data = try Data(contentsOf: file)
        } catch {
            throw RiskRulesError(["cannot read \(file.path): \(error.localizedDescription)"])
        }
        return try RiskRules(json: data)
    }

    /// Parses and checks the file; every problem is listed in the error.
    init(json: Data) throws {
        let file: RiskRulesFile
        do {
            file = try JSONDecoder().decode(RiskRulesFile.self, from: json)
        } catch {
            throw RiskRulesError(["not JSON of the expected shape: \(error)"])
        }
        var problems: [String] = []
        if file.version != 1 { problems.append("version must be 1, not \(file.version)") }
        if !(1...366).contains(file.windowDays) { problems.append("windowDays must be 1 to 366, not \(file.windowDays)") }
        if !(file.halfLifeDays > 0) { problems.append("halfLifeDays must be positive, not \(file.halfLifeDays)") }

        var kinds: [SignalKind: KindRule] = [:]
        for (name, rule) in file.signalTypes.sorted(by: { $0.key < $1.key }) {
            guard let kind = SignalKind(rawValue: name) else {
                problems.append("signalTypes.\(name): not a signal type (\(SignalKind.allCases.map(\.rawValue).joined(separator: ", ")))")
                continue
            }
            if !(rule.weight > 0) { problems.append("signalTypes.\(name).weight must be positive, not \(rule.weight)") }
            var topics: [DutyTopic] = []
            for topic in rule.topics {
                if let known = DutyTopic(rawValue: topic) { topics.append(known) } else {
                    problems.append("signalTypes.\(name).topics: \"\(topic)\" is not a duty topic")
                }
            }
            if rule.topics.isEmpty { problems.append("signalTypes.\(name).topics must name at least one duty topic") }
            kinds[kind] = KindRule(weight: rule.weight, topics: topics)
        }
        for kind in SignalKind.allCases where file.signalTypes[kind.rawValue] == nil {
            problems.append("signalTypes.\(kind.rawValue) is missing")
        }

        var factors: [SignalSeverity: Double] = [:]
        for (name, factor) in file.severity.sorted(by: { $0.key < $1.key }) {
            guard let severity = SignalSeverity(rawValue: name) else {
                problems.append("severity.\(name): not a severity (low, medium, high, critical)")
                continue
            }
            if !(factor > 0) { problems.append("severity.\(name) must be positive, not \(factor)") }
            factors[severity] = factor
        }
        for severity in SignalSeverity.allCases where file.severity[severity.rawValue] == nil {
            problems.append("severity.\(severity.rawValue) is missing")
        }
        let ordered = SignalSeverity.allCases.compactMap { factors[$0] }
        if ordered.count == SignalSeverity.allCases.count, ordered != ordered.sorted() {
            problems.append("severity factors must not fall from low to critical")
        }

        var thresholds: [WarningLevel: Double] = [:]
        for (name, score) in file.thresholds.sorted(by: { $0.key < $1.key }) {
            guard let level = WarningLevel(rawValue: name) else {
                problems.append("thresholds.\(name): not a level (blue, yellow, orange, red)")
                continue
            }
            if !(score > 0) { problems.append("thresholds.\(name) must be positive, not \(score)") }
            thresholds[level] = score
        }
        for level in WarningLevel.allCases where file.thresholds[level.rawValue] == nil {
            problems.append("thresholds.\(level.rawValue) is missing")
        }
        let levels = WarningLevel.allCases.compactMap { thresholds[$0] }
        if levels.count == WarningLevel.allCases.count, zip(levels, levels.dropFirst()).contains(where: { $0 >= $1 }) {
            problems.append("thresholds must rise strictly from blue to red")
        }

        var handling: [WarningLevel: [StepRule]] = [:]
        for (name, steps) in file.handling.sorted(by: { $0.key < $1.key }) {
            guard let level = WarningLevel(rawValue: name) else {
                problems.append("handling.\(name): not a level (blue, yellow, orange, red)")
                continue
            }
            var rules: [StepRule] = []
            for (index, step) in steps.enumerated() {
                let at = "handling.\(name)[\(index)]"
                if step.title.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { problems.append("\(at).title must not be empty") }
                if !(1...60).contains(step.workingDays) { problems.append("\(at).workingDays must be 1 to 60, not \(step.workingDays)") }
                guard let who = StepRule.Who(rawValue: step.who) else {
                    problems.append("\(at).who must be lead, assisting or all, not \"\(step.who)\"")
                    continue
                }
                rules.append(StepRule(title: step.title, who: who, workingDays: step.workingDays))
            }
            if steps.isEmpty { problems.append("handling.\(name) must have at least one step") }
            handling[level] = rules
        }
        for level in WarningLevel.allCases where file.handling[level.rawValue] == nil {
            problems.append("handling.\(level.rawValue) is missing")
        }

        let studyLevel = WarningLevel(rawValue: file.specialStudy.level)
        if studyLevel == nil { problems.append("specialStudy.level must be a level (blue, yellow, orange, red), not \"\(file.specialStudy.level)\"") }
        if !(1...30).contains(file.specialStudy.withinWorkingDays) {
            problems.append("specialStudy.withinWorkingDays must be 1 to 30, not \(file.specialStudy.withinWorkingDays)")
        }
        if !problems.isEmpty { throw RiskRulesError(problems) }
        self.init(
            windowDays: file.windowDays, halfLifeDays: file.halfLifeDays, kinds: kinds, severityFactors: factors,
            thresholds: thresholds, handling: handling,
            specialStudy: SpecialStudy(level: studyLevel!, withinWorkingDays: file.specialStudy.withinWorkingDays))
    }
}

/// The JSON shape of Rules/scoring.json, as written.
struct RiskRulesFile: Decodable {
    struct Kind: Decodable {
        var weight: Double
        var topics: [String]
    }
    struct Step: Decodable {
        var title: String
        var who: String
        var workingDays: Int
    }
    struct Study: Decodable {
        var level: String
        var withinWorkingDays: Int
    }
    var version: Int
    var windowDays: Int
    var halfLifeDays: Double
    var signalTypes: [String: Kind]
    var severity: [String: Double]
    var thresholds: [String: Double]
    var handling: [String: [Step]]
    var specialStudy: Study
    var note: String?
}
