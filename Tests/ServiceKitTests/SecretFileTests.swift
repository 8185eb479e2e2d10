import Foundation
import Testing
@testable import ServiceKit

/// Secrets from files (`NAME_FILE`), the Docker and Kubernetes convention.
@Suite struct SecretFileTests {
    static let secret = String(repeating: "s", count: 32)

    func file(_ contents: String) throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("sj-secret-\(UUID())")
        try Data(contents.utf8).write(to: url)
        return url.path
    }

    func problems(_ environment: [String: String]) -> [String] {
        do {
            _ = try ServiceConfiguration.fromEnvironment(service: "registry", defaultPort: 8081, environment: environment)
            return []
        } catch { return error.problems }
    }

    @Test func theJWTSecretFromAFileWithoutItsLineBreak() throws {
        let path = try file(Self.secret + "\n")
        let config = try ServiceConfiguration.fromEnvironment(
            service: "registry", defaultPort: 8081, environment: ["SJ_JWT_SECRET_FILE": path])
        let token = TokenSigner(secret: try JWTSecret(Self.secret)).sign(header: Data("{}".utf8), payload: Data("{}".utf8))
        #expect(TokenSigner(secret: config.jwtSecret).sign(header: Data("{}".utf8), payload: Data("{}".utf8)) == token)
    }

    @Test func bothTheVariableAndItsFileIsAnErrorNamingBoth() throws {
        let path = try file(Self.secret)
        let found = problems(["SJ_JWT_SECRET": Self.secret, "SJ_JWT_SECRET_FILE": path])
        #expect(found == ["SJ_JWT_SECRET and SJ_JWT_SECRET_FILE are both set: set one of them"])
    }

    @Test func anUnreadableOrEmptyFileIsNamed() throws {
        #expect(problems(["SJ_JWT_SECRET_FILE": "/nonexistent/jwt"]) == ["SJ_JWT_SECRET_FILE=/nonexistent/jwt is not a readable file"])
        let empty = try file("\n")
        #expect(problems(["SJ_JWT_SECRET_FILE": empty]) == ["SJ_JWT_SECRET_FILE=\(empty) is empty"])
    }

    @Test func theDatabasePasswordIsMergedIntoTheURIPercentEncoded() throws {
        let path = try file("p@ss:w/rd?%#' x\n")
        let config = try ServiceConfiguration.fromEnvironment(
            service: "registry", defaultPort: 8081,
            environment: [
                "SJ_JWT_SECRET": Self.secret, "SJ_DATABASE_PASSWORD_FILE": path,
                "SJ_DATABASE_URL": "postgresql://app@db.example:5432/shuangjian_registry?sslmode=verify-full",
            ])
        #expect(config.databaseURL == "postgresql://app:p%40ss%3Aw%2Frd%3F%25%23%27%20x@db.example:5432/shuangjian_registry?sslmode=verify-full")
        #expect(!"\(config)".contains("p%40ss"))
        #expect("\(config)".contains("postgresql://app:****@db.example"))
    }

    @Test func theDatabasePasswordIsQuotedInAKeywordString() throws {
        #expect(try DatabaseURL.adding(password: #"it's a \ pass"#, to: "host=db dbname=x user=app")
            == #"host=db dbname=x user=app password='it\'s a \\ pass'"#)
    }

    @Test func aURLWithItsOwnPasswordOrNoUserIsRefused() throws {
        let path = try file("secret")
        #expect(problems([
            "SJ_JWT_SECRET": Self.secret, "SJ_DATABASE_PASSWORD_FILE": path,
            "SJ_DATABASE_URL": "postgresql://app:old@db/x",
        ]) == ["SJ_DATABASE_URL already contains a password: remove it, or unset SJ_DATABASE_PASSWORD_FILE"])
        #expect(problems([
            "SJ_JWT_SECRET": Self.secret, "SJ_DATABASE_PASSWORD_FILE": path, "SJ_DATABASE_URL": "postgresql://db/x",
        ]).first?.hasPrefix("SJ_DATABASE_URL names no user") == true)
    }
}
