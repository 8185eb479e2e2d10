import Foundation
import Testing
import Logging
import Postgres
import ServiceKit
// The contract checker, ports, databases and ServiceWorld (process launching)
// shared with the other test targets; exported to every file of this target.
@_exported import TestSupport

extension ServiceWorld {
    /// Creates a person in the registry (as the office) and waits until the
    /// notification service's directory knows them; returns their id.
    func createPerson(name: String, unit: String) async throws -> String {
        let office = Principal(subject: "office-1", role: .office)
        let created = try await request("registry", "POST", "/v1/people", token: try token(office),
                                        json: ["name": name, "unitId": unit, "channels": ["mobile": "13800000001"]])
        #expect(created.status == 201, "\(created.text)")
        let id = try #require(created.json["id"] as? String)
        let directory = pool("notification")
        #expect(try await eventually(timeout: .seconds(60)) {
            try await directory.query("SELECT count(*)::int FROM directory_people WHERE id = \(UUID(uuidString: id)!)")[0]
                .decode(0, as: Int.self) == 1
        }, "the directory learns \(name)")
        await directory.close()
        return id
    }
}
