import Foundation

/// The smallest files each accepted kind is told by (`AttachmentKind`),
/// shared by the tests of every service that takes uploads.
package enum SampleFiles {
    package static let pdf = Data("%PDF-1.7\n1 0 obj\n<<>>\nendobj\n%%EOF\n".utf8)
    package static let png = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13])
    package static let docx = Data([0x50, 0x4B, 0x03, 0x04, 20, 0, 0, 0]) + Data("[Content_Types].xml<Types/>".utf8)
    /// A ZIP that is no Office document: refused whatever its name.
    package static let zip = Data([0x50, 0x4B, 0x03, 0x04, 20, 0, 0, 0]) + Data("not an office document".utf8)
}
