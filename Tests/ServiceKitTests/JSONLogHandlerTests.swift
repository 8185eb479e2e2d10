import Foundation
import Logging
import Testing
@testable import ServiceKit

@Suite struct JSONLogHandlerTests {
    func fields(handlerMetadata: Logger.Metadata = [:], _ metadata: Logger.Metadata, message: Logger.Message = "the message") throws -> [String: String] {
        var handler = JSONLogHandler(label: "shuangjian.test")
        handler.metadata = handlerMetadata
        let event = LogEvent(level: .warning, message: message, metadata: metadata, source: nil, file: #file, function: #function, line: #line)
        let line = try #require(handler.line(for: event, at: Date(timeIntervalSince1970: 0)))
        return try #require(JSONSerialization.jsonObject(with: line) as? [String: String])
    }

    @Test func metadataNeverOverwritesTheLinesOwnFields() throws {
        let line = try fields(
            handlerMetadata: ["logger": "from the handler"],
            ["ts": "yesterday", "level": "debug", "msg": "a message being handled", "request_id": "r-1"])
        #expect(line["ts"] == "1970-01-01T00:00:00.000Z")
        #expect(line["level"] == "warning")
        #expect(line["logger"] == "shuangjian.test")
        #expect(line["msg"] == "the message")
        #expect(line["meta.ts"] == "yesterday")
        #expect(line["meta.level"] == "debug")
        #expect(line["meta.msg"] == "a message being handled")
        #expect(line["meta.logger"] == "from the handler")
        #expect(line["request_id"] == "r-1")
    }

    @Test func aRenamedKeyNeverReplacesAnotherKey() throws {
        let line = try fields(["msg": "inner", "meta.msg": "already there"])
        #expect(line["msg"] == "the message")
        #expect(line["meta.msg"] == "already there")
        #expect(line["meta.meta.msg"] == "inner")
    }

    @Test func ordinaryMetadataIsKeptAsIs() throws {
        let line = try fields(["service": "registry", "status": "404"])
        #expect(line == [
            "ts": "1970-01-01T00:00:00.000Z", "level": "warning", "logger": "shuangjian.test", "msg": "the message",
            "service": "registry", "status": "404",
        ])
    }
}
