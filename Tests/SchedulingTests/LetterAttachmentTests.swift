import Domain
import Foundation
import ServiceKit
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing

@testable import Scheduling

/// The files of a unit's 办理情况 on a letter, against the real scheduling
/// process and PostgreSQL: checked by content, size-limited, SHA-256
/// recorded, cited by the report, downloaded by the readers and the unit
/// itself only; bad input is refused naming the field, with nothing written.
@Suite(.serialized) struct LetterAttachmentTests {
    static let unit = "education-bureau"

    /// An issued 协调函 to the education and market regulation bureaus; its id.
    static func issuedLetter(_ scheduling: SchedulingProcess) async throws -> String {
        var coordination = LetterAPITests.supervision
        coordination["kind"] = "coordination"
        coordination["unitIds"] = [unit, "market-regulation-bureau"]
        coordination["cause"] = ["kind": "text", "text": "校外培训机构预收费资金监管衔接"]
        let created = try await scheduling.request("POST", "/v1/letters", as: .office, json: coordination)
        let id = try #require(created.json["id"] as? String, "\(created.text)")
        #expect(try await scheduling.request("POST", "/v1/letters/\(id)/issue", as: .office).status == 200)
        return id
    }

    @Test func aReportCarriesCheckedFilesThatOnlyItsReadersDownload() async throws {
        let scheduling = try await SchedulingProcess.start(environment: ["SJ_SCHEDULING_ATTACHMENT_MAX_BYTES": "4096"])
        defer { scheduling.kill() }
        let letter = try await Self.issuedLetter(scheduling)
        let openapi = try LetterContractTests.openapi()
        let path = "/v1/letters/\(letter)/units/\(Self.unit)/attachments"

        let pdf = SampleFiles.pdf
        let uploaded = try await upload(scheduling, path, "办理情况.pdf", pdf, as: .unit(Self.unit), key: "file-1")
        #expect(uploaded.status == 201, "\(uploaded.text)")
        let hex = AttachmentUpload.sha256(pdf)
        #expect(uploaded.json["sha256"] as? String == hex && uploaded.json["kind"] as? String == "pdf")
        #expect(uploaded.json["size"] as? Int == pdf.count && uploaded.json["unitId"] as? String == Self.unit)
        for problem in try openapi.problems("post", "/v1/letters/{id}/units/{unitId}/attachments", uploaded) {
            Issue.record(Comment(rawValue: problem))
        }
        // The same Idempotency-Key: the same file, stored once.
        let replayed = try await upload(scheduling, path, "办理情况.pdf", pdf, as: .unit(Self.unit), key: "file-1")
        #expect(replayed.json["id"] as? String == uploaded.json["id"] as? String)
        #expect(try await scheduling.count("letter_attachments") == 1)
        // Another name under that key is another request (the key's hash covers the query).
        let renamed = try await upload(scheduling, path, "办理情况（二）.pdf", pdf, as: .unit(Self.unit), key: "file-1")
        #expect(renamed.status == 422 && renamed.json["field"] as? String == "Idempotency-Key")
        #expect(try await scheduling.count("letter_attachments") == 1)
        let fileId = try #require(uploaded.json["id"] as? String)

        // Refused, each naming what is wrong, nothing written.
        let zip = Data([0x50, 0x4B, 0x03, 0x04, 20, 0, 0, 0]) + Data("not an office document".utf8)
        let refusals: [(ContractResponse, Int, String)] = [
            (try await upload(scheduling, path, "a.pdf", zip, as: .unit(Self.unit)), 415, "body"),
            (try await upload(scheduling, path, "a.pdf", Data(), as: .unit(Self.unit)), 415, "body"),
            (try await upload(scheduling, path, "办理情况.docx", pdf, as: .unit(Self.unit)), 422, "fileName"),
            (try await upload(scheduling, path, "a/b.pdf", pdf, as: .unit(Self.unit)), 400, "fileName"),
            (try await upload(scheduling, path, "big.pdf", pdf + Data(count: 4096), as: .unit(Self.unit)), 413, "body"),
        ]
        for (response, status, field) in refusals {
            #expect(response.status == status && response.json["field"] as? String == field, "\(response.status) \(response.text)")
        }
        // Only the unit itself uploads; a letter not issued to it is not found.
        #expect(try await upload(scheduling, path, "a.pdf", pdf, as: .office).status == 403)
        #expect(try await upload(scheduling, path, "a.pdf", pdf, as: .unit("market-regulation-bureau")).status == 403)
        #expect(try await upload(
            scheduling, "/v1/letters/\(letter)/units/civil-affairs-bureau/attachments", "a.pdf", pdf,
            as: .unit("civil-affairs-bureau")).status == 404)
        #expect(try await scheduling.count("letter_attachments") == 1)

        // The report cites it; a file not this unit's, or cited already, is refused naming its place.
        let reports = "/v1/letters/\(letter)/units/\(Self.unit)/reports"
        let unknown = try await scheduling.request(
            "POST", reports, as: .unit(Self.unit), json: ["text": "已办结。", "attachmentIds": [fileId, UUID().uuidString]])
        #expect(unknown.status == 422 && unknown.json["field"] as? String == "attachmentIds[1]", "\(unknown.text)")
        let report = try await scheduling.request(
            "POST", reports, as: .unit(Self.unit), json: ["text": "已会同县市场监管局完成核查，详见附件。", "attachmentIds": [fileId]])
        #expect(report.status == 201, "\(report.text)")
        for problem in try openapi.problems("post", "/v1/letters/{id}/units/{unitId}/reports", report) {
            Issue.record(Comment(rawValue: problem))
        }
        let track = (report.json["addressees"] as? [[String: Any]])?.first { $0["unitId"] as? String == Self.unit }
        let cited = ((track?["reports"] as? [[String: Any]])?.last?["attachments"] as? [[String: Any]])?.first
        #expect(cited?["id"] as? String == fileId && cited?["sha256"] as? String == hex && cited?["fileName"] as? String == "办理情况.pdf")
        // The unit owes no report now: no more files until the office returns it.
        #expect(try await upload(scheduling, path, "b.pdf", pdf, as: .unit(Self.unit)).status == 409)
        let returned = try await scheduling.request(
            "POST", "/v1/letters/\(letter)/units/\(Self.unit)/return", as: .office,
            json: ["reason": "请补充核查的机构名单", "newDue": LocalDate(Date()).adding(days: 10).description])
        #expect(returned.status == 200, "\(returned.text)")
        let again = try await scheduling.request(
            "POST", reports, as: .unit(Self.unit), json: ["text": "已补充。", "attachmentIds": [fileId]])
        #expect(again.status == 422 && again.json["field"] as? String == "attachmentIds[0]", "\(again.text)")

        // Downloaded by the readers and the unit itself, with its digest; not by another unit.
        let download = "\(path)/\(fileId)"
        for who: SchedulingProcess.As in [.office, .convener, .countySystem, .unit(Self.unit)] {
            let file = try await scheduling.request("GET", download, as: who)
            #expect(file.status == 200 && file.body == pdf)
            #expect(file.headers["etag"] == "\"\(hex)\"" && file.headers["content-type"] == "application/pdf")
            #expect(file.headers["content-disposition"]?.contains("filename*=UTF-8''%E5%8A%9E") == true)
        }
        #expect(try await scheduling.request("GET", download, as: .unit("market-regulation-bureau")).status == 403)
        #expect(try await scheduling.request("GET", download, as: .ops).status == 403)
        #expect(try await scheduling.request(
            "GET", "/v1/letters/\(letter)/units/market-regulation-bureau/attachments/\(fileId)", as: .office).status == 404)
        #expect(try await scheduling.request("GET", "\(path)/\(UUID().uuidString)", as: .office).status == 404)
        await scheduling.stop()
    }

    private func upload(
        _ scheduling: SchedulingProcess, _ path: String, _ name: String, _ data: Data, as who: SchedulingProcess.As,
        key: String? = nil
    ) async throws -> ContractResponse {
        let encoded = name.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
        var request = URLRequest(url: URL(string: "http://127.0.0.1:\(scheduling.port)\(path)?fileName=\(encoded)")!)
        request.httpMethod = "POST"
        request.setValue("Bearer \(try scheduling.signer.sign(who.principal, ttl: .seconds(600)))", forHTTPHeaderField: "Authorization")
        request.setValue("application/octet-stream", forHTTPHeaderField: "Content-Type")
        if let key { request.setValue(key, forHTTPHeaderField: "Idempotency-Key") }
        request.httpBody = data
        let (body, response) = try await URLSession.shared.data(for: request)
        let http = response as! HTTPURLResponse
        var fields: [String: String] = [:]
        for (name, value) in http.allHeaderFields { fields["\(name)".lowercased()] = "\(value)" }
        return ContractResponse(status: http.statusCode, headers: fields, body: body)
    }
}
