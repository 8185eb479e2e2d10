import Domain
import EventFlow
import Foundation

/// Who gets a notification for an event, of which class, with which text —
/// and the text of an overdue letter's escalation: Services/Notification/Rules/routing.json,
/// checked against the `EventFields` when loaded (see Rules/README.md for
/// the format). Every text the county reads lives in that file.
struct RoutingRules: Sendable {
    /// Event type → its rules in the file's order; the first that applies wins.
    var rules: [String: [RoutingRule]]
    /// Path pattern → value → Chinese label, for the `|label` filter.
    var labels: [String: [String: String]]
    /// The escalation notification's title and body.
    var escalation: EscalationTemplates

    var eventTypes: [String] { rules.keys.sorted() }

    /// The rules of `type`, in the file's order (empty: the type notifies nobody).
    func rules(for type: String) -> [RoutingRule] { rules[type] ?? [] }

    /// The rule that routes this event: the first of its type whose `when` holds.
    func rule(for type: String, data: JSONValue) -> RoutingRule? {
        rules(for: type).first { $0.applies(to: data) }
    }

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
        let defaultHours = file.defaults?.escalateAfterWorkingHours ?? 8
        if defaultHours <= 0 { problems.append("defaults.escalateAfterWorkingHours must be positive, not \(defaultHours)") }
        var labels: [String: [String: String]] = [:]
        for (path, table) in file.labels ?? [:] {
            guard let parsed = JSONPath(path) else { problems.append("labels: \"\(path)\" is not a path"); continue }
            labels[parsed.pattern] = table
        }

        var rules: [String: [RoutingRule]] = [:]
        var positions: [String: [Int]] = [:]
        for (index, raw) in file.rules.enumerated() {
            var checker = RuleChecker(eventType: raw.eventType, catalog: catalog, labels: labels)
            let rule = checker.rule(raw, defaultHours: defaultHours)
            // A rule after one that takes every event of its type, or after
            // one with the same `when`, would never apply.
            for (earlier, previous) in zip(positions[raw.eventType] ?? [], rules[raw.eventType] ?? []) {
                if previous.when == nil {
                    checker.problems.append("unreachable: rules[\(earlier)] routes every \(raw.eventType) event (it has no \"when\"); put the rules with \"when\" first")
                } else if let rule, previous.when == rule.when {
                    checker.problems.append("unreachable: rules[\(earlier)] has the same \"when\"")
                }
            }
            if let rule, checker.problems.isEmpty {
                rules[raw.eventType, default: []].append(rule)
                positions[raw.eventType, default: []].append(index)
            } else {
                problems.append(contentsOf: checker.problems.map { "rules[\(index)] (\(raw.eventType)): \($0)" })
            }
        }

        var escalation: EscalationTemplates?
        if let texts = file.escalation {
            var checker = RuleChecker(eventType: nil, catalog: catalog, labels: labels)
            let title = checker.template(texts.title, "title", fields: EscalationTemplates.fields)
            let body = checker.template(texts.body, "body", fields: EscalationTemplates.fields)
            problems.append(contentsOf: checker.problems.map { "escalation: \($0)" })
            if let title, let body { escalation = EscalationTemplates(title: title, body: body, labels: labels) }
        } else {
            problems.append("escalation: missing; give the \"title\" and \"body\" of an overdue letter's escalation")
        }
        if !problems.isEmpty { throw RoutingRulesError(problems) }
        self.rules = rules
        self.labels = labels
        self.escalation = escalation!
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

/// Checks one rule (or the escalation texts) and collects its problems.
private struct RuleChecker {
    /// nil for the escalation texts, which read no event.
    let eventType: String?
    let catalog: EventFields
    let labels: [String: [String: String]]
    var problems: [String] = []

    init(eventType: String?, catalog: EventFields, labels: [String: [String: String]]) {
        self.eventType = eventType
        self.catalog = catalog
        self.labels = labels
    }

    private var knownType: Bool { eventType.map(catalog.knows) ?? false }

    mutating func rule(_ raw: RawRule, defaultHours: Int) -> RoutingRule? {
        if !knownType { problems.append("unknown event type \(raw.eventType) (not in the event catalog)") }
        let notificationClass = NotificationClass(rawValue: raw.class)
        if notificationClass == nil {
            problems.append("unknown class \"\(raw.class)\"; known: " + NotificationClass.allCases.map(\.rawValue).joined(separator: ", "))
        }
        if raw.recipients.isEmpty { problems.append("no recipients") }
        var recipients: [RecipientClause] = []
        for (position, recipient) in raw.recipients.enumerated() {
            if let clause = self.recipient(recipient, "recipients[\(position)]", letter: notificationClass == .letter) {
                recipients.append(clause)
            }
        }
        let fields = eventType.flatMap { catalog.fields[$0] } ?? []
        let title = template(raw.title, "title", fields: fields)
        let body = template(raw.body, "body", fields: fields)
        let when = raw.when.map { condition($0, "when") } ?? nil

        var escalateAfter: Int?
        if notificationClass == .letter {
            escalateAfter = raw.escalateAfterWorkingHours ?? defaultHours
            if let hours = escalateAfter, hours <= 0 { problems.append("escalateAfterWorkingHours must be positive, not \(hours)") }
        } else if raw.escalateAfterWorkingHours != nil {
            problems.append("escalateAfterWorkingHours is for letter-class rules only")
        }
        guard let notificationClass, let title, let body, problems.isEmpty else { return nil }
        return RoutingRule(
            eventType: raw.eventType, notificationClass: notificationClass, recipients: recipients,
            title: title, body: body, escalateAfterWorkingHours: escalateAfter, when: when)
    }

    private mutating func path(_ text: String, _ what: String) -> JSONPath? {
        guard let path = JSONPath(text) else { problems.append("\(what): \"\(text)\" is not a path"); return nil }
        if let eventType, knownType && !catalog.has(path, in: eventType) {
            problems.append("\(what): \(eventType) has no field \(path)")
        }
        return path
    }

    mutating func condition(_ raw: RawCondition, _ what: String) -> RuleCondition? {
        let path = self.path(raw.path, "\(what).path")
        guard [raw.present != nil, raw.equals != nil, raw.in != nil].filter({ $0 }).count == 1 else {
            problems.append("\(what): give exactly one of \"present\" (true/false), \"equals\" (a string, number or boolean) or \"in\" (a list of them)")
            return nil
        }
        guard let path else { return nil }
        if let present = raw.present { return .present(path, present) }
        if let value = raw.equals {
            guard let text = value.scalarText else {
                problems.append("\(what): equals must be a string, number or boolean")
                return nil
            }
            return .equals(path, text)
        }
        let values = raw.in ?? []
        let texts = values.compactMap(\.scalarText)
        guard !texts.isEmpty, texts.count == values.count else {
            problems.append("\(what): in must be a non-empty list of strings, numbers or booleans")
            return nil
        }
        return .oneOf(path, texts)
    }

    private mutating func recipient(_ raw: RawRecipient, _ what: String, letter: Bool) -> RecipientClause? {
        guard let kind = RecipientKind(rawValue: raw.kind) else {
            problems.append("\(what): unknown recipient kind \"\(raw.kind)\"; known: "
                            + RecipientKind.allCases.map(\.rawValue).joined(separator: ", "))
            return nil
        }
        let when = raw.when.map { condition($0, "\(what).when") } ?? nil
        var fallback: [FallbackRecipient] = []
        if let names = raw.fallback {
            if kind != .liaison { problems.append("\(what): fallback is for liaison recipients only") }
            if !letter { problems.append("\(what): fallback is for letter-class rules only") }
            if names.isEmpty { problems.append("\(what): fallback is empty: a letter to a unit without a liaison would reach nobody") }
            for name in names {
                guard let known = FallbackRecipient(rawValue: name) else {
                    problems.append("\(what): unknown fallback \"\(name)\"; known: "
                                    + FallbackRecipient.allCases.map(\.rawValue).joined(separator: ", "))
                    continue
                }
                fallback.append(known)
            }
        } else if letter && kind == .liaison {
            // A letter is never dropped: without a liaison, the member and the office.
            fallback = FallbackRecipient.letterDefault
        }

        let spec: RecipientSpec?
        switch kind {
        case .office: spec = .office
        case .conveners: spec = .conveners
        case .liaison, .member:
            guard let unit = raw.unit else { problems.append("\(what): \(kind.rawValue) needs \"unit\", a path to a unit id"); return nil }
            spec = path(unit, "\(what).unit").map { kind == .liaison ? .liaison(unit: $0) : .member(unit: $0) }
        case .person:
            guard let id = raw.id else { problems.append("\(what): person needs \"id\", a path to a person id"); return nil }
            spec = path(id, "\(what).id").map { .person(id: $0) }
        case .unitsWithTopic:
            let who: UnitPosition
            switch raw.who ?? "liaison" {
            case "liaison": who = .liaison
            case "member": who = .member
            case let other: problems.append("\(what): who must be liaison or member, not \"\(other)\""); return nil
            }
            switch raw.topics {
            case nil:
                problems.append("\(what): units-with-topic needs \"topics\", a path or a list of topics")
                spec = nil
            case .list(let topics)?:
                if topics.isEmpty { problems.append("\(what): topics is an empty list") }
                for topic in topics where DutyTopic(rawValue: topic) == nil {
                    problems.append("\(what): unknown topic \"\(topic)\"")
                }
                spec = .unitsWithTopic(.literal(topics), who: who)
            case .path(let text)?:
                spec = path(text, "\(what).topics").map { .unitsWithTopic(.path($0), who: who) }
            }
        }
        return spec.map { RecipientClause($0, when: when, fallback: fallback) }
    }

    /// A title or body: parsed, each placeholder a field of `fields` (or
    /// reserved), each `|label` with a table.
    mutating func template(_ source: String, _ field: String, fields: Set<String>) -> Template? {
        if source.trimmingCharacters(in: .whitespaces).isEmpty { problems.append("empty \(field)") }
        do {
            let template = try Template(source)
            for placeholder in template.placeholders where !Template.reservedPaths.contains(placeholder.path.description) {
                if (eventType == nil || knownType) && !fields.contains(placeholder.path.pattern) {
                    let owner = eventType ?? "the escalation"
                    problems.append("\(field): unknown placeholder \(placeholder.text): \(owner) has no field \(placeholder.path)")
                }
                if placeholder.filter == .label && labels[placeholder.path.pattern] == nil {
                    problems.append("\(field): \(placeholder.text) uses |label but labels has no \"\(placeholder.path.pattern)\"")
                }
            }
            return template
        } catch {
            problems.append("\(field): \(error)")
            return nil
        }
    }
}
