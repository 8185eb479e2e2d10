import Domain
import Foundation

/// Who gets a notification for an event type, of which class, with which
/// text: Services/Notification/Rules/routing.json, checked against the
/// `EventFields` when loaded (see Rules/README.md for the format).
struct RoutingRules: Sendable {
    var rules: [String: RoutingRule]
    /// Path pattern → value → Chinese label, for the `|label` filter.
    var labels: [String: [String: String]]

    var eventTypes: [String] { rules.keys.sorted() }

    subscript(type: String) -> RoutingRule? { rules[type] }

    /// The rules shipped with the service (the `Rules` resource folder).
    static func bundled(catalog: EventFields = .shuangjian) throws -> RoutingRules {
        guard let folder = Bundle.module.url(forResource: "Rules", withExtension: nil) else {
            throw RoutingRulesError(["the Rules resource folder is missing from this build"])
        }
        return try load(from: folder.appendingPathComponent("routing.json"), catalog: catalog)
    }

    static func load(from file: URL, catalog: EventFields = .shuangjian) throws -> RoutingRules {
        let data: Data
        do {
            data = try Data(contentsOf: file)
        } catch {
            throw RoutingRulesError(["cannot read \(file.path): \(error.localizedDescription)"])
        }
        return try RoutingRules(json: data, catalog: catalog)
    }

    /// Parses and checks the rules; every problem found is listed in the error.
    init(json: Data, catalog: EventFields = .shuangjian) throws {
        let file: RulesFile
        do {
            file = try JSONDecoder().decode(RulesFile.self, from: json)
        } catch let error as DecodingError {
            throw RoutingRulesError(["routing rules are not valid JSON of the expected shape: \(Self.describe(error))"])
        }
        var problems: [String] = []
        var rules: [String: RoutingRule] = [:]
        let defaultHours = file.defaults?.escalateAfterWorkingHours ?? 8
        if defaultHours <= 0 { problems.append("defaults.escalateAfterWorkingHours must be positive, not \(defaultHours)") }
        var labels: [String: [String: String]] = [:]
        for (path, table) in file.labels ?? [:] {
            guard let parsed = JSONPath(path) else { problems.append("labels: \"\(path)\" is not a path"); continue }
            labels[parsed.pattern] = table
        }

        for (index, raw) in file.rules.enumerated() {
            let name = "rules[\(index)] (\(raw.eventType))"
            var local: [String] = []
            if rules[raw.eventType] != nil || file.rules[..<index].contains(where: { $0.eventType == raw.eventType }) {
                problems.append("\(name): duplicate event type \(raw.eventType); one rule per event type")
                continue
            }
            let knownType = catalog.knows(raw.eventType)
            if !knownType { local.append("unknown event type \(raw.eventType) (not in the event catalog)") }
            let notificationClass = NotificationClass(rawValue: raw.class)
            if notificationClass == nil {
                local.append("unknown class \"\(raw.class)\"; known: "
                             + NotificationClass.allCases.map(\.rawValue).joined(separator: ", "))
            }
            func checkPath(_ text: String, _ what: String) -> JSONPath? {
                guard let path = JSONPath(text) else { local.append("\(what): \"\(text)\" is not a path"); return nil }
                if knownType && !catalog.has(path, in: raw.eventType) {
                    local.append("\(what): \(raw.eventType) has no field \(path)")
                }
                return path
            }

            var recipients: [RecipientSpec] = []
            if raw.recipients.isEmpty { local.append("no recipients") }
            for (position, recipient) in raw.recipients.enumerated() {
                let what = "recipients[\(position)]"
                guard let kind = RecipientKind(rawValue: recipient.kind) else {
                    local.append("\(what): unknown recipient kind \"\(recipient.kind)\"; known: "
                                 + RecipientKind.allCases.map(\.rawValue).joined(separator: ", "))
                    continue
                }
                switch kind {
                case .office: recipients.append(.office)
                case .conveners: recipients.append(.conveners)
                case .liaison, .member:
                    guard let unit = recipient.unit else { local.append("\(what): \(kind.rawValue) needs \"unit\", a path to a unit id"); continue }
                    if let path = checkPath(unit, "\(what).unit") {
                        recipients.append(kind == .liaison ? .liaison(unit: path) : .member(unit: path))
                    }
                case .person:
                    guard let id = recipient.id else { local.append("\(what): person needs \"id\", a path to a person id"); continue }
                    if let path = checkPath(id, "\(what).id") { recipients.append(.person(id: path)) }
                case .unitsWithTopic:
                    let who: UnitPosition
                    switch recipient.who ?? "liaison" {
                    case "liaison": who = .liaison
                    case "member": who = .member
                    case let other: local.append("\(what): who must be liaison or member, not \"\(other)\""); continue
                    }
                    switch recipient.topics {
                    case nil: local.append("\(what): units-with-topic needs \"topics\", a path or a list of topics")
                    case .list(let topics)?:
                        if topics.isEmpty { local.append("\(what): topics is an empty list") }
                        recipients.append(.unitsWithTopic(.literal(topics), who: who))
                    case .path(let text)?:
                        if let path = checkPath(text, "\(what).topics") { recipients.append(.unitsWithTopic(.path(path), who: who)) }
                    }
                }
            }

            var templates: [Template] = []
            for (field, source) in [("title", raw.title), ("body", raw.body)] {
                do {
                    let template = try Template(source)
                    for placeholder in template.placeholders where !Template.reservedPaths.contains(placeholder.path.description) {
                        if knownType && !catalog.has(placeholder.path, in: raw.eventType) {
                            local.append("\(field): unknown placeholder \(placeholder.text): \(raw.eventType) has no field \(placeholder.path)")
                        }
                        if placeholder.filter == .label && labels[placeholder.path.pattern] == nil {
                            local.append("\(field): \(placeholder.text) uses |label but labels has no \"\(placeholder.path.pattern)\"")
                        }
                    }
                    templates.append(template)
                } catch {
                    local.append("\(field): \(error)")
                }
            }
            if raw.title.trimmingCharacters(in: .whitespaces).isEmpty { local.append("empty title") }

            var condition: RuleCondition?
            if let when = raw.when {
                let path = checkPath(when.path, "when.path")
                switch (when.present, when.equals) {
                case (let present?, nil): condition = path.map { .present($0, present) }
                case (nil, let value?): condition = path.map { .equals($0, value) }
                default: local.append("when: give exactly one of \"present\" (true/false) or \"equals\" (a string)")
                }
            }

            var escalateAfter: Int?
            if notificationClass == .letter {
                escalateAfter = raw.escalateAfterWorkingHours ?? defaultHours
                if let hours = escalateAfter, hours <= 0 { local.append("escalateAfterWorkingHours must be positive, not \(hours)") }
            } else if raw.escalateAfterWorkingHours != nil {
                local.append("escalateAfterWorkingHours is for letter-class rules only")
            }

            if !local.isEmpty {
                problems.append(contentsOf: local.map { "\(name): \($0)" })
                continue
            }
            rules[raw.eventType] = RoutingRule(
                eventType: raw.eventType, notificationClass: notificationClass!, recipients: recipients,
                title: templates[0], body: templates[1], escalateAfterWorkingHours: escalateAfter, when: condition)
        }
        if !problems.isEmpty { throw RoutingRulesError(problems) }
        self.rules = rules
        self.labels = labels
    }

    private static func describe(_ error: DecodingError) -> String {
        func path(_ context: DecodingError.Context) -> String {
            let text = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
            return text.hasPrefix(".") ? String(text.dropFirst()) : (text.isEmpty ? "(root)" : text)
        }
        switch error {
        case .keyNotFound(let key, let context): return "\(path(context)).\(key.stringValue): missing"
        case .typeMismatch(let type, let context): return "\(path(context)): expected \(type)"
        case .valueNotFound(let type, let context): return "\(path(context)): expected \(type), found null"
        case .dataCorrupted(let context): return "\(path(context)): \(context.debugDescription)"
        @unknown default: return "\(error)"
        }
    }
}

struct RoutingRule: Sendable {
    var eventType: String
    var notificationClass: NotificationClass
    var recipients: [RecipientSpec]
    var title: Template
    var body: Template
    /// Letter-class rules only: working hours until an unacknowledged
    /// notification to a unit escalates to its member and the office.
    var escalateAfterWorkingHours: Int?
    /// Route only events that satisfy it (e.g. a unit admitted by a
    /// proposal, not the 26 seeded from the notice).
    var when: RuleCondition?

    func applies(to data: JSONValue) -> Bool {
        switch when {
        case nil: return true
        case .present(let path, let present)?:
            let value = data.value(at: path)
            return (value != nil && value != .null) == present
        case .equals(let path, let expected)?:
            return data.value(at: path)?.scalarText == expected
        }
    }
}

enum RuleCondition: Sendable, Equatable {
    case present(JSONPath, Bool)
    case equals(JSONPath, String)
}

enum RecipientKind: String, CaseIterable, Sendable {
    case liaison, member, office, conveners, person
    case unitsWithTopic = "units-with-topic"
}

enum UnitPosition: String, Sendable {
    case liaison, member
}

enum TopicSource: Sendable, Equatable {
    case path(JSONPath)
    case literal([String])
}

/// One recipient clause of a rule.
enum RecipientSpec: Sendable, Equatable {
    /// The liaison (联络员) of the unit whose id is at the path.
    case liaison(unit: JSONPath)
    /// The member (成员, deputy head) of that unit.
    case member(unit: JSONPath)
    /// Everyone with the role office (协调机制办公室).
    case office
    /// Everyone with the role convener (召集人).
    case conveners
    /// The person whose id is at the path.
    case person(id: JSONPath)
    /// The liaison (or member) of every unit with a duty on one of the topics.
    case unitsWithTopic(TopicSource, who: UnitPosition)
}

struct RoutingRulesError: Error, CustomStringConvertible, Sendable {
    var problems: [String]
    init(_ problems: [String]) { self.problems = problems }
    var description: String {
        "invalid routing rules:\n" + problems.map { "  - \($0)" }.joined(separator: "\n")
    }
}

/// The JSON shape of routing.json.
private struct RulesFile: Decodable {
    struct Defaults: Decodable { var escalateAfterWorkingHours: Int? }
    var version: Int?
    var defaults: Defaults?
    var labels: [String: [String: String]]?
    var rules: [RawRule]
}

private struct RawRule: Decodable {
    var eventType: String
    var `class`: String
    var recipients: [RawRecipient]
    var title: String
    var body: String
    var escalateAfterWorkingHours: Int?
    var when: RawCondition?
    var note: String?
}

private struct RawCondition: Decodable {
    var path: String
    var present: Bool?
    var equals: String?
}

/// `"office"` or `{"kind": "office"}`, `{"kind": "liaison", "unit": "unit.id"}`, ...
private struct RawRecipient: Decodable {
    enum Topics: Decodable {
        case path(String)
        case list([String])
        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let text = try? container.decode(String.self) { self = .path(text) } else { self = .list(try container.decode([String].self)) }
        }
    }
    var kind: String
    var unit: String?
    var id: String?
    var topics: Topics?
    var who: String?

    enum CodingKeys: String, CodingKey { case kind, unit, id, topics, who }

    init(from decoder: any Decoder) throws {
        if let kind = try? decoder.singleValueContainer().decode(String.self) {
            self.kind = kind
            return
        }
        let container = try decoder.container(keyedBy: CodingKeys.self)
        kind = try container.decode(String.self, forKey: .kind)
        unit = try container.decodeIfPresent(String.self, forKey: .unit)
        id = try container.decodeIfPresent(String.self, forKey: .id)
        topics = try container.decodeIfPresent(Topics.self, forKey: .topics)
        who = try container.decodeIfPresent(String.self, forKey: .who)
    }
}
