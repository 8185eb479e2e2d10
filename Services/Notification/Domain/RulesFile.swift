import EventFlow
import Foundation

// The JSON shape of Rules/routing.json, as written; `RoutingRules` checks it
// and builds the typed rules (Rules/README.md describes every member).

struct RulesFile: Decodable {
    struct Defaults: Decodable { var escalateAfterWorkingHours: Int? }
    struct Texts: Decodable {
        var title: String
        var body: String
    }
    var version: Int?
    var defaults: Defaults?
    var labels: [String: [String: String]]?
    /// The overdue letter's escalation notification.
    var escalation: Texts?
    var rules: [RawRule]
}

struct RawRule: Decodable {
    var eventType: String
    var `class`: String
    var recipients: [RawRecipient]
    var title: String
    var body: String
    var escalateAfterWorkingHours: Int?
    var when: RawCondition?
    var note: String?
}

/// `{"path": …, "present": true}`, `{"path": …, "equals": "approved" | true | 3}`
/// or `{"path": …, "in": ["suspended", "revoked"]}`.
struct RawCondition: Decodable {
    var path: String
    var present: Bool?
    var equals: JSONValue?
    var `in`: [JSONValue]?
}

/// `"office"` or `{"kind": "office"}`, `{"kind": "liaison", "unit": "unit.id"}`, ...
struct RawRecipient: Decodable {
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
    var when: RawCondition?
    var fallback: [String]?

    enum CodingKeys: String, CodingKey { case kind, unit, id, topics, who, when, fallback }

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
        when = try container.decodeIfPresent(RawCondition.self, forKey: .when)
        fallback = try container.decodeIfPresent([String].self, forKey: .fallback)
    }
}
