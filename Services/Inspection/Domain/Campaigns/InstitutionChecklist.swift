import Domain
import Foundation

/// What joint inspections check at a training institution (issue 12: fire
/// and building safety, fees and prepaid funds, advertising, teachers'
/// qualifications, training hours), from the national rules
/// (notes/training-rules.md), as data: `Rules/institution-checklist.json`,
/// validated at start. Each item names the duty-matrix topics whose units
/// act on a finding about it.
struct InstitutionChecklist: Sendable, Equatable {
    struct Item: Codable, Sendable, Equatable {
        var id: String
        var text: String
        /// The document the rule comes from.
        var basis: String
        var topics: [DutyTopic]
    }

    var items: [Item]

    func checklist(extra: [ChecklistItem]) -> [ChecklistItem] {
        items.map { ChecklistItem(id: $0.id, text: $0.text, basis: $0.basis, source: .rule, dutyId: nil, topics: $0.topics, result: nil) }
            + extra
    }

    func topics(of itemId: String) -> [DutyTopic] { items.first { $0.id == itemId }?.topics ?? [] }
}

struct InstitutionChecklistError: Error, CustomStringConvertible, Equatable {
    var problems: [String]
    var description: String {
        "Rules/institution-checklist.json is invalid (\(problems.count) problem\(problems.count == 1 ? "" : "s")):\n- "
            + problems.joined(separator: "\n- ")
    }
}

extension InstitutionChecklist {
    static func bundled() throws -> InstitutionChecklist {
        guard let folder = Bundle.module.url(forResource: "Rules", withExtension: nil) else {
            throw InstitutionChecklistError(problems: ["the Rules resource folder is missing from this build"])
        }
        let file = folder.appendingPathComponent("institution-checklist.json")
        do {
            return try InstitutionChecklist(json: try Data(contentsOf: file))
        } catch let error as InstitutionChecklistError {
            throw error
        } catch {
            throw InstitutionChecklistError(problems: ["cannot read \(file.path): \(error.localizedDescription)"])
        }
    }

    /// Parses and checks the file; every problem is named.
    init(json: Data) throws {
        struct File: Decodable {
            struct Item: Decodable { var id: String; var text: String; var basis: String; var topics: [String] }
            var version: Int
            var items: [Item]
        }
        let file: File
        do {
            file = try JSONDecoder().decode(File.self, from: json)
        } catch {
            throw InstitutionChecklistError(problems: ["not JSON of the expected shape: \(error)"])
        }
        var problems: [String] = []
        if file.version != 1 { problems.append("version must be 1, not \(file.version)") }
        if file.items.isEmpty { problems.append("items must hold at least one item") }
        var items: [Item] = []
        var seen: Set<String> = []
        for (index, item) in file.items.enumerated() {
            let at = "items[\(index)]"
            if item.id.wholeMatch(of: /r[1-9][0-9]*/) == nil { problems.append("\(at).id must be r1, r2, …, not \(item.id)") }
            if !seen.insert(item.id).inserted { problems.append("\(at).id \(item.id) is used twice") }
            if item.text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { problems.append("\(at).text must not be empty") }
            if item.basis.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { problems.append("\(at).basis must not be empty") }
            if item.topics.isEmpty { problems.append("\(at).topics must name at least one duty topic") }
            var topics: [DutyTopic] = []
            for topic in item.topics {
                if let known = DutyTopic(rawValue: topic) { topics.append(known) } else {
                    problems.append("\(at).topics: \"\(topic)\" is not a duty topic")
                }
            }
            items.append(Item(id: item.id, text: item.text, basis: item.basis, topics: topics))
        }
        guard problems.isEmpty else { throw InstitutionChecklistError(problems: problems) }
        self.init(items: items)
    }
}
