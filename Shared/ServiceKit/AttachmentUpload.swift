import Crypto
import Foundation
import HTTPTypes
import Hummingbird

/// One set of rules for every file a service takes — the scheduling
/// service's task and letter reports (办理情况), the inspection service's
/// evidence files (检查佐证材料): the body read up to the size limit (413), the name checked
/// (400), the kind told by the content (415) and agreeing with the name
/// (422), the SHA-256 recorded, and the download served as an attachment.
public struct AttachmentUpload: Sendable {
    /// Each service reads its own limit (`SJ_SCHEDULING_ATTACHMENT_MAX_BYTES`,
    /// `SJ_INSPECTION_EVIDENCE_MAX_BYTES`).
    public let maxBytes: Int

    public init(maxBytes: Int) { self.maxBytes = maxBytes }

    /// Each service's limit unless configured: 20 MiB, a scanned report of some pages.
    public static let defaultMaxBytes = 20 << 20
    /// What a service's limit may be set to: from 1 KiB (tests) to 100 MiB.
    public static let maxBytesRange = 1024...(100 << 20)

    /// A checked upload: its bytes, kind, media type and digest.
    public struct File: Sendable {
        public var fileName: String
        public var content: Data
        public var kind: AttachmentKind
        public var mediaType: String
        public var sha256: String
    }

    /// Reads and checks the request's file named `fileName` (checked with
    /// `fileName(_:)` first); throws the problem that names what is wrong,
    /// before anything is written.
    public func read(_ request: Request, fileName: String) async throws -> File {
        let content = try await body(request)
        let (kind, mediaType) = try Self.check(content, fileName: fileName)
        return File(fileName: fileName, content: content, kind: kind, mediaType: mediaType, sha256: Self.sha256(content))
    }

    /// The body, refused with 413 above the limit.
    public func body(_ request: Request) async throws -> Data {
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: maxBytes)
        } catch {
            throw Problem(
                status: .contentTooLarge, title: "Content Too Large",
                detail: "an attachment may be at most \(maxBytes) bytes", field: "body")
        }
        return Data(buffer: buffer)
    }

    public static func sha256(_ content: Data) -> String {
        SHA256.hash(data: content).map { String(format: "%02x", $0) }.joined()
    }

    /// The `fileName` query parameter, which each route reads itself (so the
    /// contract tests see it where the route is documented).
    public static func fileName(_ raw: String?) throws -> String {
        guard let raw else {
            throw Problem.badRequest("fileName is required", field: "fileName")
        }
        let name = raw.trimmingCharacters(in: .whitespaces)
        guard !name.isEmpty, name.unicodeScalars.count <= 200,
            !name.unicodeScalars.contains(where: { $0.value < 0x20 || $0 == "/" || $0 == "\\" || $0.value == 0x7F })
        else {
            throw Problem.badRequest("fileName must be 1 to 200 characters without path separators or control characters", field: "fileName")
        }
        return name
    }

    /// The file's kind by its content (415 for any other, an empty file
    /// included), and a name that agrees with it (422 naming `fileName`).
    public static func check(_ content: Data, fileName: String) throws -> (AttachmentKind, String) {
        guard let kind = AttachmentKind.detect(content) else {
            throw Problem(
                status: .unsupportedMediaType, title: "Unsupported Media Type",
                detail: "the file is not a PDF, an Office document or an image (PNG, JPEG, GIF, WebP) by its content",
                field: "body")
        }
        let ext = (fileName as NSString).pathExtension.lowercased()
        guard kind.extensions.contains(ext) else {
            throw Problem.validation([.init(
                field: "fileName", detail: "ends in .\(ext) but the content is \(kind.rawValue) (.\(kind.extensions.joined(separator: ", .")))")])
        }
        return (kind, kind.mediaType(fileName: fileName))
    }

    /// The stored file as a download: its media type, its name (Chinese
    /// names survive), its SHA-256 as the ETag, and no sniffing by the browser.
    public static func download(fileName: String, mediaType: String, sha256: String, content: Data) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = mediaType
        headers[.contentDisposition] = contentDisposition(fileName)
        headers[.eTag] = "\"\(sha256)\""
        headers[HTTPField.Name("X-Content-Type-Options")!] = "nosniff"
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: content)))
    }

    /// `attachment; filename="…"; filename*=UTF-8''…` so Chinese names survive.
    public static func contentDisposition(_ fileName: String) -> String {
        let ascii = String(fileName.unicodeScalars.map { $0.isASCII && $0 != "\"" ? Character($0) : "_" })
        // RFC 5987 attr-char: ASCII letters and digits and a few marks; all else percent-encoded.
        let allowed = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
        let encoded = fileName.addingPercentEncoding(withAllowedCharacters: allowed) ?? ascii
        return "attachment; filename=\"\(ascii)\"; filename*=UTF-8''\(encoded)"
    }
}
