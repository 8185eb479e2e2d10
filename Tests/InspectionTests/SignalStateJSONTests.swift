import Domain
import EventFlow
import Foundation
import Testing

@testable import Inspection

/// The hand-written stored state of a signal is byte for byte what
/// `EventJSON.encoder` writes of `SignalRecord`, over signals with every
/// optional present or absent and strings that need escaping.
struct SignalStateJSONTests {
    /// Text that exercises the escaping: quotes, backslashes, slashes, every
    /// control character, DEL, Chinese, U+2028 and an emoji.
    static let awkward: [String] = [
        "", "房县启航培训学校", "a\"b\\c/d", "\u{7f}\u{2028}é😀",
        String(String.UnicodeScalarView((0..<0x20).map { Unicode.Scalar(UInt8($0)) })),
        "line\nbreak\ttab\r\u{0C}\u{08}",
    ]

    static func signal(_ n: Int) -> SignalRecord {
        var random = SystemRandomNumberGenerator()
        func text() -> String { awkward[Int.random(in: 0..<awkward.count, using: &random)] + "\(n)" }
        func maybe<T>(_ value: @autoclosure () -> T) -> T? { Bool.random(using: &random) ? value() : nil }
        let time = Date(timeIntervalSince1970: Double.random(in: -2e9...4e9, using: &random))
        let topics = Array(DutyTopic.allCases.shuffled(using: &random).prefix(Int.random(in: 0...3, using: &random)))
        let concerns: SignalPayload.Concerns
        switch n % 4 {
        case 0: concerns = .init(institution: .init(creditCode: maybe(text()), name: maybe(text())))
        case 1: concerns = .init(school: .init(name: text()))
        case 2: concerns = .init(unitId: text())
        default: concerns = .init(topic: DutyTopic.allCases.randomElement(using: &random))
        }
        let amounts = [0, 5000, 0.1, 1e21, 1e-7, 123_456_789_012.5, -0.0, 1.0 / 3, 1e16, 12_345_678_901_234_567]
        let data = SignalPayload(
            reference: text(), occurredAt: time, severity: SignalSeverity.allCases.randomElement(using: &random)!,
            summary: text(), concerns: concerns, topics: maybe(topics), location: maybe(text()),
            amountYuan: maybe(amounts.randomElement(using: &random)!), injured: maybe(Int.random(in: 0...9, using: &random)),
            deaths: maybe(Int.random(in: 0...3, using: &random)), platform: maybe(text()), url: maybe("https://weibo.com/\(n)/x"))
        let subject = Subject(
            kind: Subject.Kind.allCases.randomElement(using: &random)!, key: "school:\(text())", name: text(),
            institutionId: maybe(UUID()), creditCode: maybe(text()), unitId: maybe(text()),
            topic: maybe(DutyTopic.allCases.randomElement(using: &random)!), registered: maybe(Bool.random(using: &random)))
        return SignalRecord(
            id: UUID(), source: text(), eventId: text(), type: text(), kind: SignalKind.allCases.randomElement(using: &random)!,
            via: Bool.random(using: &random) ? .kafka : .http, receivedAt: time.addingTimeInterval(0.0005),
            subject: subject, topics: topics, data: data)
    }

    @Test func theSameBytesAsTheEventEncoder() throws {
        let signals = (0..<2_000).map(Self.signal)
        for signal in signals {
            let expected = try EventJSON.encoder.encode(signal)
            var writer = JSONTextWriter()
            try SignalStateJSON.write(signal, to: &writer)
            #expect(writer.bytes == Array(expected), "\(String(decoding: expected, as: UTF8.self))")
        }
        #expect(try SignalStateJSON.array(signals) == Array(EventJSON.encoder.encode(signals)))
        #expect(try SignalStateJSON.array([]) == Array("[]".utf8))
    }

    @Test func aNumberThatIsNotFiniteIsRefusedAsTheEncoderRefusesIt() {
        var signal = Self.signal(0)
        signal.data.amountYuan = .infinity
        #expect(throws: EncodingError.self) { try SignalStateJSON.array([signal]) }
        #expect(throws: EncodingError.self) { try EventJSON.encoder.encode(signal) }
    }
}
