import Foundation
import Hummingbird

/// The request decoder of `ServiceRequestContext`: JSON, ISO 8601 dates, and a
/// `DecodingError` becomes a 400 problem that names the field by its path in
/// the body (`items[2].name`). Hummingbird's own mapping keeps only a message,
/// so it is done here, before `Request.decode` sees the error; since `Problem`
/// is an `HTTPResponseError`, `Request.decode` passes it through unchanged.
///
/// Keys are not converted: the field names in a problem are the body's own.
public struct ProblemJSONDecoder: RequestDecoder, Sendable {
    public init() {}

    public func decode<T: Decodable>(_ type: T.Type, from request: Request, context: some RequestContext) async throws -> T {
        let buffer = try await request.body.collect(upTo: context.maxUploadSize)
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        do {
            let value = try decoder.decode(T.self, from: buffer)
            try RequestJSONScreen.refuse(Data(buffer: buffer), decodingAs: T.self, with: decoder)
            return value
        } catch let error as DecodingError {
            throw Problem(decodingError: error)
        }
    }
}

extension Problem {
    /// A 400 naming the field and what was wrong with it.
    public init(decodingError error: DecodingError) {
        let (field, detail) = Self.describe(error)
        if let field {
            self = .badRequest("\(field): \(detail)", field: field)
        } else {
            self = .badRequest(detail)
        }
        self.errors = field.map { [FieldError(field: $0, detail: detail)] }
    }

    static func describe(_ error: DecodingError) -> (field: String?, detail: String) {
        switch error {
        case .keyNotFound(let key, let context):
            return (fieldPath(context.codingPath + [key]), "is required")
        case .valueNotFound(_, let context):
            return (fieldPath(context.codingPath), "must not be null")
        case .typeMismatch(let type, let context):
            return (fieldPath(context.codingPath), "must be \(jsonKind(of: type))")
        case .dataCorrupted(let context):
            guard let field = fieldPath(context.codingPath) else {
                return (nil, "the request body is not valid JSON")
            }
            // e.g. an unknown enum value or a date that is not ISO 8601.
            return (field, "has an invalid value (\(context.debugDescription))")
        @unknown default:
            return (nil, "the request body could not be decoded")
        }
    }

    /// `items[2].name` from a coding path; nil for the root.
    static func fieldPath(_ path: [any CodingKey]) -> String? {
        var result = ""
        for key in path {
            if let index = key.intValue, key.stringValue.hasPrefix("Index ") || key.stringValue == "\(index)" {
                result += "[\(index)]"
            } else {
                result += result.isEmpty ? key.stringValue : "." + key.stringValue
            }
        }
        return result.isEmpty ? nil : result
    }

    /// What JSON would have been accepted, in words a client understands.
    static func jsonKind(of type: Any.Type) -> String {
        switch type {
        case is String.Type, is Substring.Type, is Character.Type: "a string"
        case is Bool.Type: "a boolean"
        case is Int.Type, is Int8.Type, is Int16.Type, is Int32.Type, is Int64.Type,
            is UInt.Type, is UInt8.Type, is UInt16.Type, is UInt32.Type, is UInt64.Type:
            "an integer"
        case is Double.Type, is Float.Type, is Decimal.Type: "a number"
        case is [Any].Type: "an array"
        case is [String: Any].Type: "an object"
        default: "a \(type)"
        }
    }
}
