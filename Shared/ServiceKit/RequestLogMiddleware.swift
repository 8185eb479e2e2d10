import Foundation
import HTTPTypes
import Hummingbird
import Logging

/// Gives the request its id and logs it once it is answered (outermost but
/// for authentication, so it sees the final status of every request).
///
/// The id comes from `X-Request-Id` when the caller sent a sane one (so a
/// request can be followed across services and proxies), else a new UUID. It
/// goes into the context, the response header and — as logger metadata
/// `request_id` — into every log line written for the request. Each request
/// is logged with method, path, matched route, status and duration: at info,
/// except probes and scrapes (/health/*, /metrics), which would drown the rest,
/// at debug.
struct RequestLogMiddleware: RouterMiddleware {
    typealias Context = ServiceRequestContext

    static let header = HTTPField.Name("X-Request-Id")!

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        let id = Self.saneId(request.headers[Self.header]) ?? UUID().uuidString.lowercased()
        context.requestId = id
        // Hummingbird's own per-request counter would be a second, different id in every line.
        context.logger[metadataKey: "hb.request.id"] = nil
        context.logger[metadataKey: "request_id"] = .string(id)

        let start = ContinuousClock.now
        do {
            var response = try await next(request, context)
            response.headers[Self.header] = id
            log(request, context: context, status: response.status, since: start)
            return response
        } catch {
            // ProblemMiddleware, further in, answers every error; this is a safety net.
            log(request, context: context, status: (error as? any HTTPResponseError)?.status ?? .internalServerError, since: start)
            throw error
        }
    }

    private func log(_ request: Request, context: Context, status: HTTPResponse.Status, since start: ContinuousClock.Instant) {
        let elapsed = ContinuousClock.now - start
        let path = request.uri.path
        let quiet = path.hasPrefix("/health/") || path == "/metrics"
        context.logger.log(
            level: quiet ? .debug : .info, "request",
            metadata: [
                "method": .string(request.method.rawValue),
                "path": .string(path),
                "route": .string(context.routeLabel),
                "status": .stringConvertible(status.code),
                "duration_ms": .string(String(format: "%.3f", elapsed.inMilliseconds)),
            ])
    }

    /// 1–128 characters of letters, digits and `-_.:`: enough for UUIDs,
    /// trace ids and proxy ids, and nothing that could forge a log line.
    static func saneId(_ value: String?) -> String? {
        guard let value, (1...128).contains(value.utf8.count) else { return nil }
        let allowed = value.utf8.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"),
                UInt8(ascii: "."), UInt8(ascii: ":"):
                true
            default: false
            }
        }
        return allowed ? value : nil
    }
}

extension Duration {
    var inMilliseconds: Double {
        Double(components.seconds) * 1000 + Double(components.attoseconds) / 1e15
    }
}
