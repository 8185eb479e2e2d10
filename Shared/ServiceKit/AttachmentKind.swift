import Foundation

/// The kinds of file an upload may carry, in every service that takes files
/// (the scheduling service's task and letter reports, the inspection
/// service's evidence): one list, told by their content (magic bytes),
/// never by the name or the client's Content-Type: PDF, Office
/// documents (OOXML and the older OLE formats, and WPS's, which use the
/// same containers) and images.
public enum AttachmentKind: String, Codable, Sendable, CaseIterable, Equatable {
    case pdf
    /// .docx, .xlsx, .pptx (a ZIP container with [Content_Types].xml).
    case officeOpenXML = "office-open-xml"
    /// .doc, .xls, .ppt, .wps, .et (an OLE compound file).
    case officeLegacy = "office-legacy"
    case png
    case jpeg
    case gif
    case webp

    /// The kind of `bytes`, or nil when they are none of the accepted kinds.
    public static func detect(_ bytes: Data) -> AttachmentKind? {
        func starts(_ prefix: [UInt8], at offset: Int = 0) -> Bool {
            bytes.count >= offset + prefix.count
                && bytes[bytes.startIndex + offset ..< bytes.startIndex + offset + prefix.count].elementsEqual(prefix)
        }
        if starts(Array("%PDF-".utf8)) { return .pdf }
        if starts([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return .png }
        if starts([0xFF, 0xD8, 0xFF]) { return .jpeg }
        if starts(Array("GIF87a".utf8)) || starts(Array("GIF89a".utf8)) { return .gif }
        if starts(Array("RIFF".utf8)) && starts(Array("WEBP".utf8), at: 8) { return .webp }
        if starts([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) { return .officeLegacy }
        // A ZIP is an Office document only if it holds the OOXML manifest;
        // any other archive is refused.
        if starts([0x50, 0x4B, 0x03, 0x04]), bytes.range(of: Data("[Content_Types].xml".utf8)) != nil {
            return .officeOpenXML
        }
        return nil
    }

    /// The file name endings each kind may have: a name that contradicts
    /// the content is refused, so a reader is not misled by it.
    public var extensions: [String] {
        switch self {
        case .pdf: ["pdf"]
        case .officeOpenXML: ["docx", "xlsx", "pptx"]
        case .officeLegacy: ["doc", "xls", "ppt", "wps", "et", "dps"]
        case .png: ["png"]
        case .jpeg: ["jpg", "jpeg"]
        case .gif: ["gif"]
        case .webp: ["webp"]
        }
    }

    /// The media type the file is served with, from its kind and name.
    public func mediaType(fileName: String) -> String {
        let ext = (fileName as NSString).pathExtension.lowercased()
        switch self {
        case .pdf: return "application/pdf"
        case .png: return "image/png"
        case .jpeg: return "image/jpeg"
        case .gif: return "image/gif"
        case .webp: return "image/webp"
        case .officeOpenXML:
            switch ext {
            case "xlsx": return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            case "pptx": return "application/vnd.openxmlformats-officedocument.presentationml.presentation"
            default: return "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            }
        case .officeLegacy:
            switch ext {
            case "xls", "et": return "application/vnd.ms-excel"
            case "ppt", "dps": return "application/vnd.ms-powerpoint"
            default: return "application/msword"
            }
        }
    }
}
