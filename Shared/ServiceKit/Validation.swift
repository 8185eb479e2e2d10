import Foundation
import Hummingbird

/// Collects every field problem of a request before anything is written
/// (DESIGN.md §5: validation happens before any write), then throws them as
/// one problem, so a client sees all its mistakes at once.
///
/// ```swift
/// var validation = Validation()
/// validation.check(!body.name.isEmpty, "name", "must not be empty")
/// for (index, item) in body.items.enumerated() {
///     validation.nested("items[\(index)]") { item in
///         item.check(item.quantity > 0, "quantity", "must be positive")
///     }
/// }
/// try validation.throwIfInvalid()          // 422 listing every field
/// ```
public struct Validation: Sendable {
    public private(set) var errors: [Problem.FieldError] = []
    private let prefix: String

    public init() { prefix = "" }
    private init(prefix: String) { self.prefix = prefix }

    public var isValid: Bool { errors.isEmpty }

    /// Records a problem with `field` (relative to any `nested` prefix).
    public mutating func add(_ field: String, _ detail: String) {
        errors.append(.init(field: Self.join(prefix, field), detail: detail))
    }

    /// Records `detail` for `field` unless `condition` holds.
    public mutating func check(_ condition: Bool, _ field: String, _ detail: @autoclosure () -> String) {
        if !condition { add(field, detail()) }
    }

    /// The value, or nil after recording "is required".
    public mutating func required<T>(_ value: T?, _ field: String) -> T? {
        if value == nil { add(field, "is required") }
        return value
    }

    /// Checks a text field as the OpenAPI documents state it (`minLength: 1`,
    /// `maxLength`, `pattern: TextRules.nonBlankPattern`): at most `maxLength`
    /// characters as JSON Schema counts them (Unicode scalars, before
    /// trimming), and not blank. Returns it trimmed of white space.
    public mutating func text(_ value: String, _ field: String, maxLength: Int = 500) -> String {
        if TextRules.isBlank(value) {
            add(field, "must not be empty")
        } else if TextRules.length(value) > maxLength {
            add(field, "must be at most \(maxLength) characters, not \(TextRules.length(value))")
        }
        return TextRules.trimmed(value)
    }

    /// Records `detail` for `field` unless all of `value` matches `pattern`
    /// (the one its document states).
    public mutating func matches(_ value: String, _ pattern: TextPattern, _ field: String, _ detail: @autoclosure () -> String) {
        if !pattern.matches(value) { add(field, detail()) }
    }

    /// Validates a nested object; its fields are reported under `path` (`items[2].name`).
    public mutating func nested(_ path: String, _ body: (inout Validation) throws -> Void) rethrows {
        var inner = Validation(prefix: Self.join(prefix, path))
        try body(&inner)
        errors.append(contentsOf: inner.errors)
    }

    /// Throws one problem listing every recorded field problem (422 by default;
    /// 400 for requests that are malformed rather than semantically wrong).
    public func throwIfInvalid(status: HTTPResponse.Status = .unprocessableContent) throws(Problem) {
        if !errors.isEmpty { throw Problem.validation(errors, status: status) }
    }

    static func join(_ prefix: String, _ field: String) -> String {
        if prefix.isEmpty { return field }
        if field.isEmpty { return prefix }
        return field.hasPrefix("[") ? prefix + field : prefix + "." + field
    }
}
