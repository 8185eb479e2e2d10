import Domain
import Foundation

/// What the service knows of the registry, as Store/ reads it for one
/// signal: the institution the signal names (if registered) and the units
/// holding the topics in question.
struct RegistryFacts: Sendable {
    struct Institution: Codable, Sendable, Equatable {
        var id: UUID
        var creditCode: String
        var name: String
        /// Lead units first in each list, as the registry derives them.
        var supervising: [String]
        var approving: [String]
        var registering: [String]
    }

    struct TopicHolder: Sendable, Equatable {
        var unitId: String
        var topic: DutyTopic
        var role: DutyRole
    }

    var institution: Institution?
    /// Every unit holding one of the asked topics, with its role.
    var holders: [TopicHolder]
    /// Unit id → name, for every unit mentioned.
    var unitNames: [String: String]
}

/// What the service knows of the registry for a whole batch of signals
/// (Store/ reads it once); `facts(…)` gives each signal the `RegistryFacts`
/// it would have had read alone.
struct MatchingFacts: Sendable {
    /// The newest institution with each credit code, and with each name.
    var byCreditCode: [String: RegistryFacts.Institution] = [:]
    var byName: [String: RegistryFacts.Institution] = [:]
    /// Each topic's holders, leads first, in the directory's order.
    var holders: [DutyTopic: [RegistryFacts.TopicHolder]] = [:]
    var unitNames: [String: String] = [:]

    /// An institution named by credit code is that code's only (its name is
    /// then not looked up); one named without a code is found by exact name.
    func facts(creditCode: String?, institutionName: String?, topics: [DutyTopic]) -> RegistryFacts {
        let institution: RegistryFacts.Institution?
        if let creditCode { institution = byCreditCode[creditCode] } else { institution = institutionName.flatMap { byName[$0] } }
        return RegistryFacts(institution: institution, holders: topics.flatMap { holders[$0] ?? [] }, unitNames: unitNames)
    }
}

/// Signal → subject, and subject + topics → responsible units (lead first).
/// Pure: the facts are looked up before.
enum SubjectMatching {
    static func subject(of concerns: SignalPayload.Concerns, facts: RegistryFacts) -> Subject {
        if let reference = concerns.institution {
            if let known = facts.institution {
                return Subject(kind: .institution, key: "institution:\(known.id.uuidString.lowercased())", name: known.name,
                               institutionId: known.id, creditCode: known.creditCode, registered: true)
            }
            if let code = reference.creditCode?.uppercased() {
                return Subject(kind: .institution, key: "institution-code:\(code)", name: reference.name ?? code,
                               creditCode: code, registered: false)
            }
            let name = normalized(reference.name ?? "")
            return Subject(kind: .institution, key: "institution-name:\(name)", name: name, registered: false)
        }
        if let school = concerns.school {
            let name = normalized(school.name)
            return Subject(kind: .school, key: "school:\(name)", name: name)
        }
        if let unitId = concerns.unitId {
            return Subject(kind: .unit, key: "unit:\(unitId)", name: facts.unitNames[unitId] ?? unitId, unitId: unitId)
        }
        let topic = concerns.topic ?? .coordination
        return Subject(kind: .topic, key: "topic:\(topic.rawValue)", name: topic.rawValue, topic: topic)
    }

    /// The units answering for `subject` on `topics`: the unit a signal names
    /// leads; an institution's supervising units lead, its approving and
    /// registering units assist; then the topics' holders in their duty
    /// role. A unit named twice keeps its first (strongest) place.
    static func responsibleUnits(for subject: Subject, topics: [DutyTopic], facts: RegistryFacts) -> [ResponsibleUnit] {
        var leads: [ResponsibleUnit] = []
        var assisting: [ResponsibleUnit] = []
        func add(_ unitId: String, _ role: DutyRole, _ basis: String) {
            if let index = leads.firstIndex(where: { $0.unitId == unitId }) {
                if !leads[index].basis.contains(basis) { leads[index].basis.append(basis) }
                return
            }
            if let index = assisting.firstIndex(where: { $0.unitId == unitId }) {
                if role == .lead {
                    var unit = assisting.remove(at: index)
                    unit.role = .lead
                    if !unit.basis.contains(basis) { unit.basis.append(basis) }
                    leads.append(unit)
                } else if !assisting[index].basis.contains(basis) {
                    assisting[index].basis.append(basis)
                }
                return
            }
            let unit = ResponsibleUnit(unitId: unitId, name: facts.unitNames[unitId] ?? unitId, role: role, basis: [basis])
            if role == .lead { leads.append(unit) } else { assisting.append(unit) }
        }
        if let unitId = subject.unitId { add(unitId, .lead, "concerned") }
        if subject.kind == .institution, let institution = facts.institution {
            for unit in institution.supervising { add(unit, .lead, "supervising") }
            for unit in institution.approving { add(unit, .assisting, "approving") }
            for unit in institution.registering { add(unit, .assisting, "registering") }
        }
        for topic in topics {
            for holder in facts.holders where holder.topic == topic { add(holder.unitId, holder.role, topic.rawValue) }
        }
        return leads + assisting
    }

    /// Names compared as the county writes them: surrounding and repeated
    /// white space removed, full-width brackets made half-width.
    static func normalized(_ name: String) -> String {
        let collapsed = name.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        return collapsed.replacingOccurrences(of: "（", with: "(").replacingOccurrences(of: "）", with: ")")
    }
}
