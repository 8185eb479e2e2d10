import Foundation

/// The random draw of 双随机 (random subjects, random inspectors), as a pure
/// function of its recorded inputs and seed: anyone holding a draw record
/// re-runs it (`POST /v1/campaigns/{id}/draws/{drawId}/verify`) and gets the
/// same assignment.
///
/// Algorithm `shuangjian-draw/1` (docs/operations.md, "Joint inspections"):
/// 1. Canonical inputs: subjects sorted by id; groups sorted by id (lower-case
///    UUID text), each group's inspectors sorted by person id.
/// 2. A `SplitMix64` seeded with the recorded 64-bit seed.
/// 3. The subjects are shuffled (Fisher–Yates, `SplitMix64.shuffle`).
/// 4. In that order, each subject goes to a group that may inspect it: not
///    one of the group's own units, and with at least `inspectorsPerInspection`
///    inspectors not of the subject's unit. Among those, the groups with the
///    fewest subjects so far; among equals, `below(count)` in canonical order.
/// 5. The group's inspectors not of the subject's unit, in canonical order,
///    are shuffled the same way; the first `inspectorsPerInspection` inspect it.
/// The numbers are drawn in exactly this order; any change of the steps is a
/// new algorithm name, so an old record still verifies under its own.
enum RandomDraw {
    static let algorithm = "shuangjian-draw/1 (SplitMix64; Fisher–Yates; least-loaded eligible group)"

    struct Subject: Codable, Sendable, Equatable {
        /// A unit id, or an institution's id (lower-case UUID text).
        var id: String
        var name: String
        /// The member unit it is (for a unit); nil for an institution.
        var unitId: String?
    }

    struct Group: Codable, Sendable, Equatable {
        var id: String
        var memberUnitIds: [String]
        var inspectors: [Member]
    }

    struct Member: Codable, Sendable, Equatable {
        var personId: String
        var unitId: String?
    }

    struct Inputs: Codable, Sendable, Equatable {
        var subjects: [Subject]
        var groups: [Group]
        var inspectorsPerInspection: Int

        /// The same inputs in canonical order (step 1).
        var canonical: Inputs {
            Inputs(
                subjects: subjects.sorted { $0.id < $1.id },
                groups: groups.map { Group(id: $0.id, memberUnitIds: $0.memberUnitIds.sorted(), inspectors: $0.inspectors.sorted { $0.personId < $1.personId }) }
                    .sorted { $0.id < $1.id },
                inspectorsPerInspection: inspectorsPerInspection)
        }
    }

    struct Assignment: Codable, Sendable, Equatable {
        var subjectId: String
        var groupId: String
        var inspectorIds: [String]
    }

    /// A subject no group may inspect under the rules.
    struct Impossible: Error, Equatable, CustomStringConvertible {
        var subjectId: String
        var description: String {
            "no group may inspect \(subjectId): every group has it among its own units or too few inspectors from other units"
        }
    }

    static func run(_ inputs: Inputs, seed: UInt64) throws(Impossible) -> [Assignment] {
        let inputs = inputs.canonical
        var random = SplitMix64(seed: seed)
        var order = inputs.subjects
        random.shuffle(&order)
        var load = Array(repeating: 0, count: inputs.groups.count)
        var assignments: [Assignment] = []
        for subject in order {
            let eligible = inputs.groups.indices.filter { index in
                let group = inputs.groups[index]
                if let unitId = subject.unitId, group.memberUnitIds.contains(unitId) { return false }
                return group.inspectors.filter { $0.unitId == nil || $0.unitId != subject.unitId }.count
                    >= inputs.inspectorsPerInspection
            }
            guard let least = eligible.map({ load[$0] }).min() else { throw Impossible(subjectId: subject.id) }
            let ties = eligible.filter { load[$0] == least }
            let chosen = ties[random.below(ties.count)]
            load[chosen] += 1
            let group = inputs.groups[chosen]
            var candidates = group.inspectors.filter { $0.unitId == nil || $0.unitId != subject.unitId }
            random.shuffle(&candidates)
            assignments.append(Assignment(
                subjectId: subject.id, groupId: group.id,
                inspectorIds: candidates.prefix(inputs.inspectorsPerInspection).map(\.personId)))
        }
        return assignments
    }

    /// A seed as the record writes it: 16 lower-case hex digits.
    static func text(_ seed: UInt64) -> String {
        let hex = String(seed, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }

    static func seed(_ text: String) -> UInt64? {
        guard text.count == 16, text.allSatisfy(\.isHexDigit) else { return nil }
        return UInt64(text, radix: 16)
    }
}

/// A draw as recorded: who drew, when, with what inputs, seed and algorithm,
/// and the result it gave. Never changed after it is written.
struct DrawRecord: Codable, Sendable, Equatable {
    var id: UUID
    var campaignId: UUID
    var algorithm: String
    /// 16 hex digits (`RandomDraw.text`).
    var seed: String
    /// Whether the office gave the seed (e.g. drawn in public from a lottery number) or the service generated it.
    var seedGiven: Bool
    var inputs: RandomDraw.Inputs
    var assignments: [RandomDraw.Assignment]
    /// The inspections the draw created, in the assignments' order.
    var inspectionIds: [UUID]
    var drawnBy: String
    var drawnAt: Date
}
