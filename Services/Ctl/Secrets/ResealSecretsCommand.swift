import ArgumentParser
import Audit
import ChannelSecrets
import Foundation
import Logging
import Postgres
import ServiceKit

/// `sjctl secrets reseal`: seals every stored channel secret again under the
/// newest key, one secret per transaction (row locked, opened with the key
/// its value names, sealed with the newest, written, and recorded in the
/// audit log as `AuditActor.system("sjctl.secrets-reseal")`). A secret
/// already under the newest key is left as it is, so running it twice
/// changes nothing the second time.
///
/// Keys: `--keys-file` (a file holding `id:key,…`, newest first), else the
/// service's own variables, `SJ_NOTIFICATION_SECRET_KEYS` or
/// `SJ_NOTIFICATION_SECRET_KEY` (or their `_FILE`s). Exit 0 when every
/// secret is under the newest key, 1 when some cannot be opened (listed),
/// 2 for bad arguments or keys, or a database that cannot be used.
struct ResealSecretsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reseal",
        abstract: "Seal every stored channel secret again under the newest key.",
        discussion: """
            Run it after adding a new key in front of SJ_NOTIFICATION_SECRET_KEYS (and restarting \
            the service); when it reports every secret on the newest key, the old keys can go. \
            Exit status: 0 done; 1 some secrets cannot be opened (listed); 2 bad arguments or keys, \
            or the database cannot be used.
            """)

    /// The audit log's actor and action for a resealed secret (no event is
    /// published: the configuration as others see it did not change).
    static let actor = AuditActor.system("sjctl.secrets-reseal")
    static let action = "cn.gov.fangxian.shuangjian.notification.channel.secret-resealed"
    static let unusable: Int32 = 2

    @Option(help: ArgumentHelp(
        "libpq URI of the notification service's database.",
        discussion: "Default: $SJ_DATABASE_URL, else the local `make run` database postgresql://shuangjian@127.0.0.1:55432/shuangjian_notification."))
    var databaseURL: String?

    @Option(help: ArgumentHelp(
        "A file holding the keys, id:key,id:key (newest first) — SJ_NOTIFICATION_SECRET_KEYS's form.",
        discussion: "Default: SJ_NOTIFICATION_SECRET_KEYS or SJ_NOTIFICATION_SECRET_KEY (or their _FILE), as the service reads them."))
    var keysFile: String?

    @Flag(help: "Log the database client's messages to stderr.")
    var verbose = false

    enum Result { case resealed, current, gone, failed(SecretBoxError) }

    func run() async throws {
        let box = try secretBox()
        LoggingSystem.bootstrap(StreamLogHandler.standardError)
        var logger = Logger(label: "sjctl.secrets")
        logger.logLevel = verbose ? .info : .critical
        let url = LocalDefaults.databaseURL(databaseURL, service: "notification")
        let pool = PostgresPool(PostgresConfiguration(connectionString: url, poolSize: 1, connectTimeout: .seconds(5)), logger: logger)
        var counts = (resealed: 0, current: 0, gone: 0)
        var failures: [(UUID, SecretBoxError)] = []
        do {
            for id in try await SecretResealStore.ids(pool) {
                switch try await reseal(id, with: box, pool) {
                case .resealed: counts.resealed += 1
                case .current: counts.current += 1
                case .gone: counts.gone += 1
                case .failed(let error): failures.append((id, error))
                }
            }
        } catch {
            await pool.close()
            throw fail("the database at \(LocalDefaults.masked(url)) cannot be used: \(error)")
        }
        await pool.close()
        let newest = box.keyring.newest.id
        print("resealed \(counts.resealed), already on key \(newest) \(counts.current), cannot be opened \(failures.count)"
              + (counts.gone > 0 ? ", removed meanwhile \(counts.gone)" : ""))
        for (id, error) in failures { print("  channel \(id.uuidString.lowercased()): \(error)") }
        if !failures.isEmpty { throw ExitCode.failure }
    }

    /// One secret, in its own transaction.
    private func reseal(_ id: UUID, with box: SecretBox, _ pool: PostgresPool) async throws -> Result {
        try await pool.transaction { connection -> Result in
            guard let row = try await SecretResealStore.lock(id, on: connection) else { return .gone }
            let resealed: Data?
            do {
                resealed = try box.resealed(row.sealed, for: row.binding)
            } catch let error as SecretBoxError {
                return .failed(error)
            }
            guard let resealed else { return .current }
            try await SecretResealStore.replace(id, with: resealed, on: connection)
            try await AuditLog.append(
                [AuditRecord(action: Self.action, aggregateType: "channel", aggregateId: id.uuidString.lowercased(), digesting: resealed)],
                by: Self.actor, at: Date(), on: connection)
            return .resealed
        }
    }

    /// The keys, from `--keys-file` or the service's variables.
    private func secretBox() throws -> SecretBox {
        if let keysFile {
            guard let data = FileManager.default.contents(atPath: keysFile), let text = String(data: data, encoding: .utf8) else {
                throw fail("--keys-file \(keysFile) is not a readable UTF-8 file")
            }
            do {
                return SecretBox(keyring: try SecretKeyring(list: text))
            } catch {
                throw fail("--keys-file \(keysFile) is \(error)")
            }
        }
        var reader = EnvironmentReader(ProcessInfo.processInfo.environment)
        guard let box = SecretBoxEnvironment.read(&reader), reader.problems.isEmpty else {
            throw fail(reader.problems.joined(separator: "\n"))
        }
        return box
    }

    private func fail(_ message: String) -> ExitCode {
        FileHandle.standardError.write(Data("sjctl secrets reseal: \(message)\n".utf8))
        return ExitCode(Self.unusable)
    }
}
