import Domain
import Foundation
import ServiceKit

/// The rules a signal's data must meet beyond its JSON shape; the same for
/// Kafka (a violation is a dead letter naming the fields) and for
/// `POST /v1/signals` (a 422 naming them). Pure: no I/O.
enum SignalValidation {
    /// A credit code: 18 characters of the GB 32100 alphabet, either case
    /// (matched upper case; the registry checks the check character).
    static let creditCodePattern = TextPattern(#"^[0-9A-HJ-NPQRTUWXYa-hj-npqrtuwxy]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXYa-hj-npqrtuwxy]{10}$"#)
    static let unitIdPattern = TextPattern(#"^[a-z0-9]+(-[a-z0-9]+)*$"#)
    static let urlPattern = TextPattern(#"^https?://[!-~]+$"#)
    /// How far ahead of the service's clock an `occurredAt` may be (clocks differ a little).
    static let futureTolerance: TimeInterval = 3600

    /// Every problem of `payload`, fields named as in its JSON (`data.` is
    /// added by the caller where the data is nested).
    static func problems(_ payload: SignalPayload, kind: SignalKind, now: Date) -> [Problem.FieldError] {
        var validation = Validation()
        _ = validation.text(payload.reference, "reference", maxLength: 100)
        _ = validation.text(payload.summary, "summary", maxLength: 2000)
        validation.check(payload.occurredAt <= now.addingTimeInterval(futureTolerance), "occurredAt", "is in the future")
        if let location = payload.location { _ = validation.text(location, "location", maxLength: 200) }
        let concerns = payload.concerns
        let named = [concerns.institution != nil, concerns.school != nil, concerns.unitId != nil, concerns.topic != nil]
            .filter { $0 }.count
        validation.check(named == 1, "concerns", "must name exactly one of institution, school, unitId, topic")
        validation.nested("concerns") { nested in
            if let institution = concerns.institution {
                nested.check(institution.creditCode != nil || institution.name != nil, "institution",
                             "must have a creditCode or a name")
                if let code = institution.creditCode {
                    nested.matches(code, creditCodePattern, "institution.creditCode",
                                   "is not an 18-character unified social credit code")
                }
                if let name = institution.name { _ = nested.text(name, "institution.name", maxLength: 100) }
            }
            if let school = concerns.school { _ = nested.text(school.name, "school.name", maxLength: 100) }
            if let unitId = concerns.unitId {
                nested.matches(unitId, unitIdPattern, "unitId", "is not a unit id (lower-case words joined by -)")
                nested.check(unitId.count <= 100, "unitId", "must be at most 100 characters")
            }
        }
        if let amount = payload.amountYuan {
            validation.check((0...1_000_000_000_000).contains(amount), "amountYuan", "must be 0 to 1,000,000,000,000")
        }
        if let injured = payload.injured { validation.check((0...1_000_000).contains(injured), "injured", "must be 0 to 1,000,000") }
        if let deaths = payload.deaths { validation.check((0...1_000_000).contains(deaths), "deaths", "must be 0 to 1,000,000") }
        if let platform = payload.platform { _ = validation.text(platform, "platform", maxLength: 100) }
        if let url = payload.url {
            validation.matches(url, urlPattern, "url", "must be an http(s) URL without spaces")
            validation.check(url.unicodeScalars.count <= 2000, "url", "must be at most 2000 characters")
        }
        return validation.errors
    }
}
