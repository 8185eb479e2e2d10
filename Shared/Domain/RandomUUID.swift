import Foundation
#if canImport(Glibc)
import Glibc
#endif

extension UUID {
    /// `count` random (version 4) uuids from one read of the kernel's random source. On Linux
    /// `UUID()` opens, reads and closes /dev/urandom for every uuid, which
    /// showed in profiles of a burst of alerts (several new rows each).
    public static func random(_ count: Int) -> [UUID] {
        guard count > 0 else { return [] }
        var bytes = [UInt8](repeating: 0, count: count * 16)
        guard fillRandom(&bytes) else { return (0..<count).map { _ in UUID() } }
        return (0..<count).map { index in
            var uuid: uuid_t = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
            withUnsafeMutableBytes(of: &uuid) { out in
                for offset in 0..<16 { out[offset] = bytes[index * 16 + offset] }
                out[6] = out[6] & 0x0f | 0x40  // version 4
                out[8] = out[8] & 0x3f | 0x80  // RFC 4122 variant
            }
            return UUID(uuid: uuid)
        }
    }

    /// One random (version 4) uuid with a single system call (`random(_:)`).
    public static func random() -> UUID { random(1)[0] }

    /// Fills `bytes` from the kernel's random source (glibc's `arc4random_buf`:
    /// one `getrandom` call); false where there is none to call.
    private static func fillRandom(_ bytes: inout [UInt8]) -> Bool {
        #if canImport(Glibc)
        bytes.withUnsafeMutableBytes { arc4random_buf($0.baseAddress!, $0.count) }
        return true
        #else
        return false
        #endif
    }
}
