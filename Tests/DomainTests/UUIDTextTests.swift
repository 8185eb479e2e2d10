import Domain
import Foundation
import Testing

@Suite("UUID text and random uuids")
struct UUIDTextTests {
    @Test func lowercasedStringIsTheCanonicalForm() {
        for _ in 0..<100 {
            let uuid = UUID()
            #expect(uuid.lowercasedString == uuid.uuidString.lowercased())
        }
    }

    @Test func randomUUIDsAreVersion4AndDistinct() {
        let uuids = UUID.random(1000)
        #expect(Set(uuids).count == 1000)
        for uuid in uuids + [UUID.random()] {
            let text = uuid.lowercasedString
            #expect(Array(text)[14] == "4")
            #expect("89ab".contains(Array(text)[19]))
        }
        #expect(UUID.random(0).isEmpty)
    }
}
