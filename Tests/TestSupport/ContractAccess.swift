import Foundation

/// Who a route lets in, in the OpenAPI document's terms: `x-roles`,
/// `x-own-unit` (a `unit` token only for its own unit) and `x-person` (any
/// role, the token's subject being a person id).
package struct ContractAccess: Equatable, Sendable {
    package var roles: Set<String>
    package var ownUnit: Bool
    package var person: Bool

    package init(roles: Set<String>, ownUnit: Bool = false, person: Bool = false) {
        self.roles = roles
        self.ownUnit = ownUnit
        self.person = person
    }
}

extension ContractSource {
    /// Swift case names of `Role` → their raw values.
    package static let roleNames = [
        "office": "office", "convener": "convener", "unit": "unit", "countySystem": "county-system", "ops": "ops",
    ]

    /// The named role lists of a service's `API/Access.swift`
    /// (`static let readers: [Principal.Role] = [.office, .unit]`), by name.
    package static func roleLists(in file: String) throws -> [String: Set<String>] {
        let text = try ContractFiles.text(file)
        var lists: [String: Set<String>] = [:]
        for match in text.matches(of: /static let ([A-Za-z]+): \[Principal\.Role\] = \[([^\]]*)\]/) {
            lists[String(match.1)] = try roles(String(match.2))
        }
        return lists
    }

    /// `.office, .unit` → ["office", "unit"].
    static func roles(_ list: String) throws -> Set<String> {
        var roles: Set<String> = []
        for name in list.split(separator: ",") {
            let name = name.trimmingCharacters(in: .whitespaces).trimmingCharacters(in: ["."])
            guard let role = roleNames[name] else { throw TestSupportError("unknown role .\(name)") }
            roles.insert(role)
        }
        return roles
    }
}

extension ContractRoute {
    /// Who the handler lets in, read from its calls; nil when it does not
    /// say in a way this reader knows (the test then asks to teach it).
    ///
    /// - `context.person()`: any role, the subject being a person id.
    /// - `require(unit: …, orAnyOf: Access.name)`: those roles, or a unit
    ///   token for its own unit.
    /// - `require(anyOf: Access.name)`, `require(anyOf: Access.name + [.unit])`,
    ///   `require(.a, .b)`, `require(anyOf: [.a, .b])`: those roles; when the
    ///   handler then calls `authorize(principal`, a `unit` token is let in for
    ///   its own unit only.
    package func access(lists: [String: Set<String>]) -> ContractAccess? {
        if handler.contains("context.person()") {
            return ContractAccess(roles: Set(ContractSource.roleNames.values), person: true)
        }
        if let match = handler.firstMatch(of: /require\(unit:[^)]*orAnyOf: Access\.([A-Za-z]+)\)/) {
            return lists[String(match.1)].map { ContractAccess(roles: $0, ownUnit: true) }
        }
        var roles: Set<String>
        if let match = handler.firstMatch(of: /require\(anyOf: Access\.([A-Za-z]+)( \+ \[([^\]]*)\])?\)/) {
            guard let named = lists[String(match.1)] else { return nil }
            roles = named
            if let extra = match.3 {
                guard let more = try? ContractSource.roles(String(extra)) else { return nil }
                roles.formUnion(more)
            }
        } else if let match = handler.firstMatch(of: /require\((?:anyOf: \[)?((?:\.[A-Za-z]+(?:, )?)+)\]?\)/) {
            guard let literal = try? ContractSource.roles(String(match.1)) else { return nil }
            roles = literal
        } else {
            return nil
        }
        if roles.contains("unit") && handler.contains("authorize(principal") {
            roles.remove("unit")
            return ContractAccess(roles: roles, ownUnit: true)
        }
        return ContractAccess(roles: roles)
    }
}
