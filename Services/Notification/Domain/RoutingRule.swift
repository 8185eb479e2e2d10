import EventFlow
import Foundation

/// One rule of routing.json: for events of `eventType` that satisfy `when`,
/// who is notified, how, and with which text. A type may have several rules;
/// the first whose `when` holds applies (`RoutingRules.rule(for:data:)`), so
/// a rule can say different things for, e.g., an approved and a rejected proposal.
struct RoutingRule: Sendable {
    var eventType: String
    var notificationClass: NotificationClass
    var recipients: [RecipientClause]
    var title: Template
    var body: Template
    /// Letter-class rules only: working hours until an unacknowledged
    /// notification to a unit escalates to its member and the office.
    var escalateAfterWorkingHours: Int?
    /// Route only events that satisfy it (e.g. a unit admitted by a
    /// proposal, not the 26 seeded from the notice). nil: every event.
    var when: RuleCondition?

    func applies(to data: JSONValue) -> Bool { when?.holds(for: data) ?? true }
}

/// A test on one field of the event's data.
enum RuleCondition: Sendable, Equatable {
    /// The field is present and not null (true), or absent or null (false).
    case present(JSONPath, Bool)
    /// The field's scalar text (`approved`, `true`, `3`) equals the value's.
    case equals(JSONPath, String)
    /// The field's scalar text is one of the values'.
    case oneOf(JSONPath, [String])

    var path: JSONPath {
        switch self {
        case .present(let path, _), .equals(let path, _), .oneOf(let path, _): path
        }
    }

    func holds(for data: JSONValue) -> Bool {
        switch self {
        case .present(let path, let present):
            let value = data.value(at: path)
            return (value != nil && value != .null) == present
        case .equals(let path, let expected):
            return data.value(at: path)?.scalarText == expected
        case .oneOf(let path, let expected):
            return data.value(at: path)?.scalarText.map(expected.contains) ?? false
        }
    }
}

/// One recipient clause of a rule: whom it reaches, when, and — for a
/// unit's liaison — who is told instead when the unit has none.
struct RecipientClause: Sendable, Equatable {
    var spec: RecipientSpec
    /// Reach these recipients only for events that satisfy it (e.g. the
    /// safety units only when an institution is suspended). nil: always.
    var when: RuleCondition?
    /// `liaison` clauses only: for each unit that has no liaison, who is
    /// notified in its place. Letter-class rules always have one (by default
    /// the unit's member and the office), so a letter is never dropped.
    var fallback: [FallbackRecipient] = []

    init(_ spec: RecipientSpec, when: RuleCondition? = nil, fallback: [FallbackRecipient] = []) {
        self.spec = spec
        self.when = when
        self.fallback = fallback
    }
}

/// Who stands in for a unit's missing liaison.
enum FallbackRecipient: String, CaseIterable, Sendable {
    /// That unit's member (成员, its deputy head in the mechanism).
    case member
    /// Every person with the role office (协调机制办公室).
    case office
    /// Every person with the role convener (召集人).
    case conveners

    /// A letter that finds no liaison goes to the unit's member and the office.
    static let letterDefault: [FallbackRecipient] = [.member, .office]
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

/// Whom a recipient clause names.
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

/// The escalation notification (`EscalationScanner`): what the unit's member
/// and the office read when a letter is not acknowledged (签收) in time.
/// Its placeholders read `EscalationTemplates.fields`, not an event.
struct EscalationTemplates: Sendable {
    var title: Template
    var body: Template
    /// The rules file's labels, for `|label`.
    var labels: [String: [String: String]] = [:]

    /// What the scanner fills in: the unit, the original notification (its
    /// title, its recipient's name, when it was sent) and the escalation time.
    static let fields: Set<String> = [
        "unit.id", "unit.name", "original.title", "original.recipientName", "original.createdAt", "escalatedAt",
    ]
}

struct RoutingRulesError: Error, CustomStringConvertible, Sendable {
    var problems: [String]
    init(_ problems: [String]) { self.problems = problems }
    var description: String {
        "invalid routing rules:\n" + problems.map { "  - \($0)" }.joined(separator: "\n")
    }
}
