/// What one attempt to reach an endpoint came to. The worker turns it into the
/// delivery's next state: sent, failed (try again later) or dead (stop).
enum SendOutcome: Sendable, Equatable {
    /// The endpoint took the message.
    case sent(statusCode: Int)
    /// Worth another try: network error, timeout, 429, 5xx, a robot's rate-limit code.
    case retryable(statusCode: Int?, error: String)
    /// Trying again cannot help: another 4xx, a refused message, bad configuration.
    case permanent(statusCode: Int?, error: String)

    var statusCode: Int? {
        switch self {
        case .sent(let code): code
        case .retryable(let code, _), .permanent(let code, _): code
        }
    }

    /// The short, redacted error text; nil when sent.
    var error: String? {
        switch self {
        case .sent: nil
        case .retryable(_, let error), .permanent(_, let error): error
        }
    }
}
