import Kafka

/// The `SJ_KAFKA_*` variables: how every Kafka client of a process (the
/// service's producer, consumers and admin client; every sjctl command)
/// reaches the cluster. docs/operations.md has the table.
///
/// A variable with the `SJ_KAFKA_` prefix that is not one of these is refused
/// (a misspelt security setting must not silently leave the connection in
/// plaintext), and so is every value librdkafka would refuse.
public enum KafkaEnvironment {
    public static let brokers = "SJ_KAFKA_BROKERS"
    public static let securityProtocol = "SJ_KAFKA_SECURITY_PROTOCOL"
    public static let tlsCAFile = "SJ_KAFKA_TLS_CA_FILE"
    public static let tlsCertificateFile = "SJ_KAFKA_TLS_CERT_FILE"
    public static let tlsKeyFile = "SJ_KAFKA_TLS_KEY_FILE"
    /// A secret: also `SJ_KAFKA_TLS_KEY_PASSWORD_FILE`.
    public static let tlsKeyPassword = "SJ_KAFKA_TLS_KEY_PASSWORD"
    public static let tlsVerifyHostname = "SJ_KAFKA_TLS_VERIFY_HOSTNAME"
    public static let saslMechanism = "SJ_KAFKA_SASL_MECHANISM"
    public static let saslUsername = "SJ_KAFKA_SASL_USERNAME"
    /// A secret: also `SJ_KAFKA_SASL_PASSWORD_FILE`.
    public static let saslPassword = "SJ_KAFKA_SASL_PASSWORD"
    public static let fetchWaitMaxMs = "SJ_KAFKA_FETCH_WAIT_MAX_MS"
    public static let sessionTimeoutMs = "SJ_KAFKA_SESSION_TIMEOUT_MS"
    public static let heartbeatIntervalMs = "SJ_KAFKA_HEARTBEAT_INTERVAL_MS"
    public static let lingerMs = "SJ_KAFKA_LINGER_MS"
    /// Static membership: a name unique to the replica and kept across its
    /// restarts in place (the pod's name), so a restarted consumer gets its
    /// partitions back at once instead of after a rebalance.
    public static let groupInstanceId = "SJ_KAFKA_GROUP_INSTANCE_ID"
    /// Read by the local scripts (scripts/run-local.sh), not by the services.
    static let localScriptVariables = ["SJ_KAFKA_PORT"]

    public static let known: [String] = [
        brokers, securityProtocol, tlsCAFile, tlsCertificateFile, tlsKeyFile, tlsKeyPassword, tlsKeyPassword + "_FILE",
        tlsVerifyHostname, saslMechanism, saslUsername, saslPassword, saslPassword + "_FILE", fetchWaitMaxMs,
        sessionTimeoutMs, heartbeatIntervalMs, lingerMs, groupInstanceId,
    ]

    static let protocols = ["plaintext", "ssl", "sasl_plaintext", "sasl_ssl"]
    static let mechanisms = ["SCRAM-SHA-256", "SCRAM-SHA-512", "PLAIN"]

    /// The variable behind each librdkafka property this reader sets, so a
    /// property librdkafka refuses is reported by the variable's name.
    static let variableOfProperty: [String: String] = [
        "security.protocol": securityProtocol, "ssl.ca.location": tlsCAFile,
        "ssl.certificate.location": tlsCertificateFile, "ssl.key.location": tlsKeyFile,
        "ssl.key.password": tlsKeyPassword, "ssl.endpoint.identification.algorithm": tlsVerifyHostname,
        "sasl.mechanism": saslMechanism, "sasl.username": saslUsername, "sasl.password": saslPassword,
        "fetch.wait.max.ms": fetchWaitMaxMs, "session.timeout.ms": sessionTimeoutMs,
        "heartbeat.interval.ms": heartbeatIntervalMs, "linger.ms": lingerMs, "group.instance.id": groupInstanceId,
    ]
}

extension EnvironmentReader {
    /// The Kafka client settings of this process from `SJ_KAFKA_*`.
    public mutating func kafkaSettings(defaultBrokers: String = "127.0.0.1:9092") -> KafkaClientSettings {
        typealias K = KafkaEnvironment
        for name in environment.keys.sorted() where name.hasPrefix("SJ_KAFKA_") {
            if !K.known.contains(name) && !K.localScriptVariables.contains(name) {
                problem("\(name) is not a known setting (known: \(K.known.joined(separator: ", ")))")
            }
        }
        var settings = KafkaClientSettings(brokers: string(K.brokers, default: defaultBrokers))
        let problemsBefore = problems.count

        let securityProtocol = optionalOneOf(K.securityProtocol, allowed: K.protocols) ?? "plaintext"
        let usesTLS = securityProtocol == "ssl" || securityProtocol == "sasl_ssl"
        let usesSASL = securityProtocol.hasPrefix("sasl_")
        settings.common["security.protocol"] = securityProtocol

        // TLS: the CA that signed the brokers' certificates; a client
        // certificate and key for mutual TLS.
        let tlsVariables = [K.tlsCAFile, K.tlsCertificateFile, K.tlsKeyFile, K.tlsVerifyHostname]
        for name in tlsVariables + [K.tlsKeyPassword, K.tlsKeyPassword + "_FILE"] where environment[name] != nil && !usesTLS {
            problem("\(name) is set but \(K.securityProtocol) is \(securityProtocol): set it to ssl or sasl_ssl")
        }
        if usesTLS {
            if let path = readableFile(K.tlsCAFile) { settings.common["ssl.ca.location"] = path }
            let certificate = readableFile(K.tlsCertificateFile)
            let key = readableFile(K.tlsKeyFile)
            if (environment[K.tlsCertificateFile] == nil) != (environment[K.tlsKeyFile] == nil) {
                problem("\(K.tlsCertificateFile) and \(K.tlsKeyFile) go together (mutual TLS): set both or neither")
            }
            if let certificate { settings.common["ssl.certificate.location"] = certificate }
            if let key { settings.common["ssl.key.location"] = key }
            if let password = secret(K.tlsKeyPassword) { settings.common["ssl.key.password"] = password }
            if let verify = optionalBool(K.tlsVerifyHostname) {
                settings.common["ssl.endpoint.identification.algorithm"] = verify ? "https" : "none"
            }
        }

        // SASL: SCRAM (or PLAIN, over TLS only in practice) with a password from a file.
        for name in [K.saslMechanism, K.saslUsername, K.saslPassword, K.saslPassword + "_FILE"]
        where environment[name] != nil && !usesSASL {
            problem("\(name) is set but \(K.securityProtocol) is \(securityProtocol): set it to sasl_ssl or sasl_plaintext")
        }
        if usesSASL {
            if let mechanism = optionalOneOf(K.saslMechanism, allowed: K.mechanisms) {
                settings.common["sasl.mechanism"] = mechanism
            } else if environment[K.saslMechanism] == nil {
                problem("\(K.saslMechanism) is missing: \(K.securityProtocol)=\(securityProtocol) needs one of \(K.mechanisms.joined(separator: ", "))")
            }
            if let username = optionalString(K.saslUsername) {
                settings.common["sasl.username"] = username
            } else if environment[K.saslUsername] == nil {
                problem("\(K.saslUsername) is missing: \(K.securityProtocol)=\(securityProtocol) needs it")
            }
            if let password = secret(K.saslPassword) {
                settings.common["sasl.password"] = password
            } else if !isSecretSet(K.saslPassword) {
                problem("\(K.saslPassword)_FILE (or \(K.saslPassword)) is missing: \(K.securityProtocol)=\(securityProtocol) needs it")
            }
        }

        // Tuning that production changes: consumer fetch wait and group
        // session, producer linger. Unset: the clients' own defaults.
        if let value = optionalInteger(K.fetchWaitMaxMs, in: 0...300_000) { settings.consumer["fetch.wait.max.ms"] = String(value) }
        let session = optionalInteger(K.sessionTimeoutMs, in: 1000...3_600_000)
        let heartbeat = optionalInteger(K.heartbeatIntervalMs, in: 1...3_600_000)
        if let session { settings.consumer["session.timeout.ms"] = String(session) }
        if let heartbeat {
            // The consumers' default session timeout is 6 s; the heartbeat must be well inside it.
            let timeout = session ?? KafkaConsumerConfiguration.defaultSessionTimeoutMs
            if heartbeat >= timeout {
                problem("\(K.heartbeatIntervalMs)=\(heartbeat) must be below the session timeout (\(timeout) ms); a third of it is usual")
            }
            settings.consumer["heartbeat.interval.ms"] = String(heartbeat)
        }
        if let value = optionalInteger(K.lingerMs, in: 0...900_000) { settings.producer["linger.ms"] = String(value) }
        if let instance = optionalString(K.groupInstanceId) {
            if instance.wholeMatch(of: /[A-Za-z0-9._-]{1,249}/) == nil {
                problem("\(K.groupInstanceId)=\(instance) must be 1 to 249 letters, digits, '.', '_' or '-' (the pod's name, for instance)")
            } else {
                settings.consumer["group.instance.id"] = instance
            }
        }

        // Only when everything above is well-formed: what librdkafka itself
        // refuses (e.g. a security protocol this build lacks), by variable.
        if problems.count == problemsBefore {
            for rejected in settings.rejectedProperties() {
                let variable = K.variableOfProperty[rejected.key] ?? rejected.key
                let reason = rejected.key.contains("password") ? "refused by librdkafka" : rejected.reason
                problem("\(variable) is not accepted by the Kafka client: \(reason)")
            }
        }
        return settings
    }
}
