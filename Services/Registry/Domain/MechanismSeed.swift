import Domain
import Foundation

/// The mechanism as the county notice (房政办函〔2022〕37号) sets it up, read
/// from `Seed/mechanism.json`: the notice, its 职责分工 paragraphs verbatim,
/// the 26 member units with their duties split into items and tagged by
/// topic, and the fixed positions (two conveners, the office).
///
/// Facts live in the file, not in code (DESIGN.md §1). `validate()` checks the
/// file against itself: the member list and the duty paragraphs are kept in
/// the notice's own words so that every unit and every duty can be traced to
/// the sentence it comes from.
struct MechanismSeed: Codable, Sendable, Equatable {
    var notice: Notice
    /// 二(二) 职责分工, one entry per paragraph, in the notice's order.
    var dutyParagraphs: [DutyParagraph]
    /// 二(一) 成员单位, in the notice's order.
    var units: [UnitEntry]
    /// The fixed positions (JSON key `positions`); `positions()` builds them.
    var positionEntries: [PositionEntry]

    enum CodingKeys: String, CodingKey {
        case notice, dutyParagraphs, units
        case positionEntries = "positions"
    }

    static let expectedUnitCount = 26
    /// The fixed positions other code refers to by id.
    static let requiredPositionIds = ["convener-county-government", "convener-education-bureau", "office"]
    static let resourceFolder = "Seed"
    static let resourceName = "mechanism.json"

    struct Notice: Codable, Sendable, Equatable {
        var title: String
        /// 房政办函〔2022〕37号: the admission reference of every seeded unit.
        var number: String
        /// The date the notice was signed (2022-10-25), not its publication.
        var date: LocalDate
        var issuer: String
        /// The member-list sentence as written ("协调机制由…等部门组成。").
        var memberList: String
    }

    struct DutyParagraph: Codable, Sendable, Equatable {
        /// The units before the colon, e.g. "县委政法委、县司法局、县信访局".
        var heading: String
        /// The rest of the paragraph, verbatim.
        var text: String

        /// The unit names the heading lists.
        var unitNames: [String] { heading.split(separator: "、").map(String.init) }
    }

    struct UnitEntry: Codable, Sendable, Equatable {
        var id: String
        var name: String
        var aliases: [String]
        /// How other units' duty sentences name it as a partner (县教育局:
        /// 教育部门, 教育 in "会同财政、教育等部门"); checked against the paragraphs.
        var referredToAs: [String]?
        var duties: [DutyEntry]
    }

    /// A duty item. Topics and categories are kept as text here so that a
    /// mistyped one is reported by `validate()` rather than by the decoder.
    struct DutyEntry: Codable, Sendable, Equatable {
        /// 1-based index into `dutyParagraphs`: the paragraph the item comes from.
        var paragraph: Int
        var text: String
        /// `lead` or `assisting` (`DutyRole`): 配合 → assisting; 会同 or neither → lead.
        var role: String
        /// The units a 会同 / 配合 sentence names (ids), in its order.
        var partnerUnitIds: [String]?
        /// The words of a sentence whose partners the notice does not name
        /// ("会同有关部门…" → "有关部门").
        var unnamedPartners: String?
        var topics: [String]
        var sharedKey: String?
        var sharedWith: [String]?
        var scope: ScopeEntry?
    }

    struct ScopeEntry: Codable, Sendable, Equatable {
        var categories: [String]?
        var nonProfit: Bool?
    }

    struct PositionEntry: Codable, Sendable, Equatable {
        var id: String
        var title: String
        /// The `PersonRole` whoever holds the position has (convener, office).
        var role: String
        var unitId: String?
        /// Where the position sits (协调机制办公室: 县教育局基础教育股).
        var seat: String?
        var note: String?
    }
}

// MARK: - Errors

enum MechanismSeedError: Error, Equatable, CustomStringConvertible {
    /// `Seed/` is not among the target's resources.
    case resourceMissing(String)
    case unreadable(path: String, reason: String)
    case undecodable(path: String, reason: String)
    case invalid([SeedProblem])

    var description: String {
        switch self {
        case .resourceMissing(let name):
            return "mechanism seed: resource \(name) is not in the Registry bundle"
        case .unreadable(let path, let reason):
            return "mechanism seed: cannot read \(path): \(reason)"
        case .undecodable(let path, let reason):
            return "mechanism seed: \(path) is not a valid seed file: \(reason)"
        case .invalid(let problems):
            return "mechanism seed: \(problems.count) problem(s):\n"
                + problems.map { "  - \($0)" }.joined(separator: "\n")
        }
    }
}

/// One way the seed file is wrong. Duties are named `<unit id>/<n>` (their
/// `Duty.id`), paragraphs by their 1-based number.
enum SeedProblem: Equatable, Sendable, CustomStringConvertible {
    case emptyNoticeField(String)
    case unitCount(expected: Int, actual: Int)
    case malformedUnitId(String)
    case duplicateUnitId(String)
    case emptyUnitName(unit: String)
    case duplicateUnitName(String)
    case aliasRepeated(alias: String, units: [String])
    case aliasIsUnitName(alias: String, unit: String, nameOf: String)
    case memberListUnreadable
    case memberListCount(expected: Int, actual: Int)
    case memberListMismatch(position: Int, listed: String, unit: String)
    case noDuties(unit: String)
    case emptyDutyText(duty: String)
    case noTopics(duty: String)
    case unknownTopic(duty: String, topic: String)
    case repeatedTopic(duty: String, topic: String)
    case unknownCategory(duty: String, category: String)
    case paragraphOutOfRange(duty: String, paragraph: Int)
    case unitNotInParagraph(duty: String, paragraph: Int)
    case paragraphNamesUnknownUnit(paragraph: Int, name: String)
    case noDutyFromParagraph(unit: String, paragraph: Int)
    case sharedWithoutKey(duty: String)
    case sharedKeyWithoutPartners(duty: String)
    case sharedWithSelf(duty: String)
    case sharedWithUnknownUnit(duty: String, unit: String)
    case sharedKeyRepeated(unit: String, key: String)
    case sharedPartnerMissingDuty(duty: String, partner: String, key: String)
    case sharedGroupMismatch(duty: String, partner: String, key: String)
    case sharedDutyDiffers(duty: String, partner: String, key: String)
    case unknownDutyRole(duty: String, role: String)
    case roleContradictsWording(duty: String, role: String, expected: String)
    case verbWithoutPartners(duty: String, verb: String)
    case partnersWithoutVerb(duty: String)
    case unnamedPartnersNotInText(duty: String, words: String)
    case partnerUnknownUnit(duty: String, unit: String)
    case partnerIsOwnUnit(duty: String)
    case partnerRepeated(duty: String, unit: String)
    case partnerAlsoSharer(duty: String, unit: String)
    case partnerNotNamed(duty: String, partner: String)
    case mirroredRolesClash(duty: String, partnerDuty: String)
    case paragraphVerbsUncovered(paragraph: Int, unit: String, verb: String, inParagraph: Int, inDuties: Int)
    case referenceNotInNotice(unit: String, words: String)
    case duplicatePositionId(String)
    case missingPosition(String)
    case emptyPositionTitle(position: String)
    case unknownRole(position: String, role: String)
    case positionUnitUnknown(position: String, unit: String)

    var description: String {
        switch self {
        case .emptyNoticeField(let field): return "notice.\(field) is empty"
        case .unitCount(let expected, let actual): return "expected \(expected) member units, found \(actual)"
        case .malformedUnitId(let id): return "unit id \"\(id)\" is not a lowercase slug (a-z, 0-9, single hyphens)"
        case .duplicateUnitId(let id): return "unit id \(id) is used more than once"
        case .emptyUnitName(let unit): return "unit \(unit) has no name"
        case .duplicateUnitName(let name): return "unit name \(name) is used more than once"
        case .aliasRepeated(let alias, let units):
            return "alias \(alias) is given more than once (units: \(units.joined(separator: ", ")))"
        case .aliasIsUnitName(let alias, let unit, let nameOf):
            return "alias \(alias) of \(unit) is the name of unit \(nameOf)"
        case .memberListUnreadable:
            return "notice.memberList does not read \"协调机制由…等部门组成。\""
        case .memberListCount(let expected, let actual):
            return "notice.memberList names \(actual) units, the seed has \(expected)"
        case .memberListMismatch(let position, let listed, let unit):
            return "notice.memberList item \(position) is \(listed), but unit \(position) is \(unit) (not its name or an alias)"
        case .noDuties(let unit): return "unit \(unit) has no duties"
        case .emptyDutyText(let duty): return "duty \(duty) has no text"
        case .noTopics(let duty): return "duty \(duty) has no topics"
        case .unknownTopic(let duty, let topic):
            return "duty \(duty): unknown topic \"\(topic)\" (known: \(DutyTopic.allCases.map(\.rawValue).joined(separator: ", ")))"
        case .repeatedTopic(let duty, let topic): return "duty \(duty) lists topic \(topic) twice"
        case .unknownCategory(let duty, let category):
            return "duty \(duty): unknown institution category \"\(category)\" (known: \(InstitutionCategory.allCases.map(\.rawValue).joined(separator: ", ")))"
        case .paragraphOutOfRange(let duty, let paragraph):
            return "duty \(duty) cites paragraph \(paragraph), which does not exist"
        case .unitNotInParagraph(let duty, let paragraph):
            return "duty \(duty) cites paragraph \(paragraph), whose heading does not name its unit"
        case .paragraphNamesUnknownUnit(let paragraph, let name):
            return "duty paragraph \(paragraph) names \(name), which is no unit's name or alias"
        case .noDutyFromParagraph(let unit, let paragraph):
            return "unit \(unit) is named by duty paragraph \(paragraph) but has no duty citing it"
        case .sharedWithoutKey(let duty): return "duty \(duty) has sharedWith but no sharedKey"
        case .sharedKeyWithoutPartners(let duty): return "duty \(duty) has a sharedKey but sharedWith is empty"
        case .sharedWithSelf(let duty): return "duty \(duty) lists its own unit in sharedWith"
        case .sharedWithUnknownUnit(let duty, let unit): return "duty \(duty) is shared with \(unit), which is no unit"
        case .sharedKeyRepeated(let unit, let key): return "unit \(unit) has more than one duty with sharedKey \(key)"
        case .sharedPartnerMissingDuty(let duty, let partner, let key):
            return "duty \(duty) is shared with \(partner), which has no duty with sharedKey \(key)"
        case .sharedGroupMismatch(let duty, let partner, let key):
            return "duty \(duty) and \(partner)'s duty \(key) name different groups of units"
        case .sharedDutyDiffers(let duty, let partner, let key):
            return "duty \(duty) and \(partner)'s duty \(key) differ in text, topics, paragraph or scope"
        case .unknownDutyRole(let duty, let role):
            return "duty \(duty): unknown role \"\(role)\" (known: \(DutyRole.allCases.map(\.rawValue).joined(separator: ", ")))"
        case .roleContradictsWording(let duty, let role, let expected):
            return "duty \(duty) has role \(role), but its wording makes it \(expected) (配合 → assisting; 会同 or neither → lead)"
        case .verbWithoutPartners(let duty, let verb):
            return "duty \(duty) says \(verb) but records no partnerUnitIds (or unnamedPartners for 有关部门)"
        case .partnersWithoutVerb(let duty): return "duty \(duty) has partners but says neither 会同 nor 配合"
        case .unnamedPartnersNotInText(let duty, let words): return "duty \(duty): unnamedPartners \(words) are not in its text"
        case .partnerUnknownUnit(let duty, let unit): return "duty \(duty) names partner \(unit), which is no unit"
        case .partnerIsOwnUnit(let duty): return "duty \(duty) lists its own unit as a partner"
        case .partnerRepeated(let duty, let unit): return "duty \(duty) lists partner \(unit) twice"
        case .partnerAlsoSharer(let duty, let unit): return "duty \(duty) lists \(unit) both in sharedWith and as a partner"
        case .partnerNotNamed(let duty, let partner):
            return "duty \(duty): its text does not name partner \(partner) (by its name, an alias or referredToAs)"
        case .mirroredRolesClash(let duty, let partnerDuty):
            return "duty \(duty) and \(partnerDuty) name each other with the same role; one leads, the other assists"
        case .paragraphVerbsUncovered(let paragraph, let unit, let verb, let inParagraph, let inDuties):
            return "duty paragraph \(paragraph) says \(verb) \(inParagraph) time(s), \(unit)'s duties from it \(inDuties)"
        case .referenceNotInNotice(let unit, let words): return "unit \(unit) is referredToAs \(words), which no duty paragraph says"
        case .duplicatePositionId(let id): return "position id \(id) is used more than once"
        case .missingPosition(let id): return "position \(id) is missing"
        case .emptyPositionTitle(let position): return "position \(position) has no title"
        case .unknownRole(let position, let role):
            return "position \(position): unknown role \"\(role)\" (known: \(PersonRole.allCases.map(\.rawValue).joined(separator: ", ")))"
        case .positionUnitUnknown(let position, let unit): return "position \(position) belongs to \(unit), which is no unit"
        }
    }
}

// MARK: - Loading

extension MechanismSeed {
    /// The file bundled with the Registry target.
    static func bundledURL() throws(MechanismSeedError) -> URL {
        guard let folder = Bundle.module.url(forResource: resourceFolder, withExtension: nil) else {
            throw .resourceMissing(resourceFolder)
        }
        return folder.appendingPathComponent(resourceName)
    }

    /// Reads and decodes the bundled seed (does not validate: call `validate()`).
    static func bundled() throws(MechanismSeedError) -> MechanismSeed {
        try load(from: try bundledURL())
    }

    /// Reads and decodes a seed file (does not validate: call `validate()`).
    static func load(from url: URL) throws(MechanismSeedError) -> MechanismSeed {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw .unreadable(path: url.path, reason: "\(error)")
        }
        return try decode(data, source: url.path)
    }

    static func decode(_ data: Data, source: String = "mechanism.json") throws(MechanismSeedError) -> MechanismSeed {
        do {
            return try JSONDecoder().decode(MechanismSeed.self, from: data)
        } catch let error as DecodingError {
            throw .undecodable(path: source, reason: Self.describe(error))
        } catch {
            throw .undecodable(path: source, reason: "\(error)")
        }
    }

    private static func describe(_ error: DecodingError) -> String {
        func path(_ keys: [any CodingKey]) -> String {
            keys.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
        }
        switch error {
        case .keyNotFound(let key, let context):
            return "\(path(context.codingPath + [key])) is missing"
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            return "\(path(context.codingPath)): \(context.debugDescription)"
        case .dataCorrupted(let context):
            return "\(path(context.codingPath)): \(context.debugDescription)"
        @unknown default:
            return "\(error)"
        }
    }
}

// MARK: - Validation

extension MechanismSeed {
    /// Throws `.invalid` listing every problem, or returns.
    func validate() throws(MechanismSeedError) {
        let found = problems()
        if !found.isEmpty { throw .invalid(found) }
    }

    /// Every problem of the file, in a stable order (empty: valid).
    func problems() -> [SeedProblem] {
        var problems: [SeedProblem] = []
        checkNotice(&problems)
        checkUnits(&problems)
        checkMemberList(&problems)
        checkDuties(&problems)
        checkParagraphCoverage(&problems)
        checkSharedDuties(&problems)
        checkPartners(&problems)
        checkPositions(&problems)
        return problems
    }

    /// The duty id of the `index`-th (0-based) duty of `unit`: `<unit id>/<n>`.
    static func dutyId(unit: String, index: Int) -> String { "\(unit)/\(index + 1)" }

    /// The unit whose name or one of whose aliases is `name`.
    func unit(named name: String) -> UnitEntry? {
        units.first { $0.name == name } ?? units.first { $0.aliases.contains(name) }
    }

    private func checkNotice(_ problems: inout [SeedProblem]) {
        for (field, value) in [
            ("title", notice.title), ("number", notice.number), ("issuer", notice.issuer),
            ("memberList", notice.memberList),
        ] where value.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            problems.append(.emptyNoticeField(field))
        }
    }

    private func checkUnits(_ problems: inout [SeedProblem]) {
        if units.count != Self.expectedUnitCount {
            problems.append(.unitCount(expected: Self.expectedUnitCount, actual: units.count))
        }
        var ids = Set<String>()
        var names = Set<String>()
        for unit in units {
            if !Self.isSlug(unit.id) { problems.append(.malformedUnitId(unit.id)) }
            if !ids.insert(unit.id).inserted { problems.append(.duplicateUnitId(unit.id)) }
            if unit.name.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                problems.append(.emptyUnitName(unit: unit.id))
            } else if !names.insert(unit.name).inserted {
                problems.append(.duplicateUnitName(unit.name))
            }
        }
        // Aliases: each given once in the whole file, and never a unit's name.
        var aliasOwners: [String: [String]] = [:]
        var aliasOrder: [String] = []
        for unit in units {
            for alias in unit.aliases {
                if aliasOwners[alias] == nil { aliasOrder.append(alias) }
                aliasOwners[alias, default: []].append(unit.id)
                if let owner = units.first(where: { $0.name == alias }) {
                    problems.append(.aliasIsUnitName(alias: alias, unit: unit.id, nameOf: owner.id))
                }
            }
        }
        for alias in aliasOrder where aliasOwners[alias]!.count > 1 {
            problems.append(.aliasRepeated(alias: alias, units: aliasOwners[alias]!))
        }
    }

    /// The member-list sentence, split on 、, must name the units in order.
    private func checkMemberList(_ problems: inout [SeedProblem]) {
        let prefix = "协调机制由", suffix = "等部门组成。"
        let sentence = notice.memberList.trimmingCharacters(in: .whitespacesAndNewlines)
        guard sentence.hasPrefix(prefix), sentence.hasSuffix(suffix),
              sentence.count > prefix.count + suffix.count
        else {
            problems.append(.memberListUnreadable)
            return
        }
        let listed = sentence.dropFirst(prefix.count).dropLast(suffix.count)
            .split(separator: "、").map(String.init)
        if listed.count != units.count {
            problems.append(.memberListCount(expected: units.count, actual: listed.count))
        }
        for (index, (name, unit)) in zip(listed, units).enumerated()
        where name != unit.name && !unit.aliases.contains(name) {
            problems.append(.memberListMismatch(position: index + 1, listed: name, unit: unit.id))
        }
    }

    private func checkDuties(_ problems: inout [SeedProblem]) {
        for unit in units {
            if unit.duties.isEmpty { problems.append(.noDuties(unit: unit.id)) }
            for (index, duty) in unit.duties.enumerated() {
                let id = Self.dutyId(unit: unit.id, index: index)
                if duty.text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                    problems.append(.emptyDutyText(duty: id))
                }
                if duty.topics.isEmpty { problems.append(.noTopics(duty: id)) }
                var seen = Set<String>()
                for topic in duty.topics {
                    if DutyTopic(rawValue: topic) == nil { problems.append(.unknownTopic(duty: id, topic: topic)) }
                    if !seen.insert(topic).inserted { problems.append(.repeatedTopic(duty: id, topic: topic)) }
                }
                for category in duty.scope?.categories ?? [] where InstitutionCategory(rawValue: category) == nil {
                    problems.append(.unknownCategory(duty: id, category: category))
                }
                if !dutyParagraphs.indices.contains(duty.paragraph - 1) {
                    problems.append(.paragraphOutOfRange(duty: id, paragraph: duty.paragraph))
                } else {
                    let named = dutyParagraphs[duty.paragraph - 1].unitNames
                    if !named.contains(where: { $0 == unit.name || unit.aliases.contains($0) }) {
                        problems.append(.unitNotInParagraph(duty: id, paragraph: duty.paragraph))
                    }
                }
            }
        }
    }

    /// Every unit a 职责分工 paragraph names has at least one duty from it.
    private func checkParagraphCoverage(_ problems: inout [SeedProblem]) {
        for (index, paragraph) in dutyParagraphs.enumerated() {
            for name in paragraph.unitNames {
                guard let unit = unit(named: name) else {
                    problems.append(.paragraphNamesUnknownUnit(paragraph: index + 1, name: name))
                    continue
                }
                if !unit.duties.contains(where: { $0.paragraph == index + 1 }) {
                    problems.append(.noDutyFromParagraph(unit: unit.id, paragraph: index + 1))
                }
            }
        }
    }

    /// A shared duty appears in every unit of its group with the same key,
    /// text, topics, paragraph and scope; each one's `sharedWith` is the group
    /// without itself.
    private func checkSharedDuties(_ problems: inout [SeedProblem]) {
        let ids = Set(units.map(\.id))
        for unit in units {
            var keys = Set<String>()
            for (index, duty) in unit.duties.enumerated() {
                let id = Self.dutyId(unit: unit.id, index: index)
                let partners = duty.sharedWith ?? []
                guard let key = duty.sharedKey else {
                    if !partners.isEmpty { problems.append(.sharedWithoutKey(duty: id)) }
                    continue
                }
                if !keys.insert(key).inserted { problems.append(.sharedKeyRepeated(unit: unit.id, key: key)) }
                if partners.isEmpty { problems.append(.sharedKeyWithoutPartners(duty: id)) }
                let group = Set(partners + [unit.id])
                for partner in partners {
                    if partner == unit.id {
                        problems.append(.sharedWithSelf(duty: id))
                        continue
                    }
                    guard ids.contains(partner), let other = units.first(where: { $0.id == partner }) else {
                        problems.append(.sharedWithUnknownUnit(duty: id, unit: partner))
                        continue
                    }
                    guard let theirs = other.duties.first(where: { $0.sharedKey == key }) else {
                        problems.append(.sharedPartnerMissingDuty(duty: id, partner: partner, key: key))
                        continue
                    }
                    if Set((theirs.sharedWith ?? []) + [partner]) != group {
                        problems.append(.sharedGroupMismatch(duty: id, partner: partner, key: key))
                    }
                    if theirs.text != duty.text || theirs.topics != duty.topics
                        || theirs.paragraph != duty.paragraph || theirs.scope != duty.scope {
                        problems.append(.sharedDutyDiffers(duty: id, partner: partner, key: key))
                    }
                }
            }
        }
    }

    private func checkPositions(_ problems: inout [SeedProblem]) {
        var seen = Set<String>()
        for position in positionEntries {
            if !seen.insert(position.id).inserted { problems.append(.duplicatePositionId(position.id)) }
            if position.title.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                problems.append(.emptyPositionTitle(position: position.id))
            }
            if PersonRole(rawValue: position.role) == nil {
                problems.append(.unknownRole(position: position.id, role: position.role))
            }
            if let unitId = position.unitId, !units.contains(where: { $0.id == unitId }) {
                problems.append(.positionUnitUnknown(position: position.id, unit: unitId))
            }
        }
        for id in Self.requiredPositionIds where !seen.contains(id) {
            problems.append(.missingPosition(id))
        }
    }

    static func isSlug(_ id: String) -> Bool {
        guard !id.isEmpty, !id.hasPrefix("-"), !id.hasSuffix("-"), !id.contains("--") else { return false }
        return id.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" }
    }
}

// MARK: - Building the registry's values

extension MechanismSeed {
    /// When the seeded units joined: the notice's date, 00:00 China Standard Time.
    var admittedAt: Date { notice.date.startOfDay(in: ChinaTime.timeZone) }

    /// The 26 member units as the registry stores them: duties `<unit id>/<n>`
    /// (the unit's own items, then those derived from other units' 会同 / 配合
    /// sentences: `DutyPartners`), admitted by the notice (reference = its
    /// number, at its date), version 1, no member, liaison or contact details
    /// yet. Validates first.
    func memberUnits(updatedAt: Date? = nil) throws(MechanismSeedError) -> [MemberUnit] {
        try validate()
        let admission = Admission(reference: notice.number, admittedAt: admittedAt, proposalId: nil)
        let own = units.map { unit in
            MemberUnit(
                id: unit.id, name: unit.name, aliases: unit.aliases,
                duties: unit.duties.enumerated().map { index, duty in
                    Duty(
                        id: Self.dutyId(unit: unit.id, index: index), text: duty.text,
                        topics: duty.topics.compactMap(DutyTopic.init(rawValue:)),
                        sharedKey: duty.sharedKey, sharedWith: duty.sharedWith ?? [],
                        scope: duty.scope.map {
                            DutyScope(
                                categories: $0.categories?.compactMap(InstitutionCategory.init(rawValue:)),
                                nonProfit: $0.nonProfit)
                        },
                        role: DutyRole(rawValue: duty.role) ?? .lead, partnerUnitIds: duty.partnerUnitIds ?? [])
                },
                memberId: nil, liaisonId: nil, contact: UnitContact(), admission: admission,
                version: 1, updatedAt: updatedAt ?? admittedAt)
        }
        return DutyPartners.addingDerivedDuties(to: own)
    }

    /// The fixed positions, unfilled (the notice names no one).
    func positions() -> [MechanismPosition] {
        positionEntries.map { MechanismPosition(id: $0.id, title: $0.title, unitId: $0.unitId, holderId: nil) }
    }
}
