/// How every client of a deployment reaches the cluster: the bootstrap
/// servers, the connection's security (TLS, SASL) and the tuning production
/// changes — librdkafka properties, grouped by the clients they apply to.
/// ServiceKit builds one from the environment (`SJ_KAFKA_*`); the services'
/// producer, consumers and admin client and every sjctl command use it, so a
/// cluster that requires TLS or authentication is reached by all of them.
public struct KafkaClientSettings: Sendable, Equatable {
    public var brokers: String
    /// Every client: `security.protocol`, `ssl.*`, `sasl.*`.
    public var common: [String: String]
    /// Producers only, applied over the producer's own defaults (`linger.ms`).
    public var producer: [String: String]
    /// Group consumers only, applied over the consumer's defaults
    /// (`fetch.wait.max.ms`, `session.timeout.ms`, `heartbeat.interval.ms`).
    public var consumer: [String: String]

    public init(
        brokers: String, common: [String: String] = [:], producer: [String: String] = [:],
        consumer: [String: String] = [:]
    ) {
        self.brokers = brokers
        self.common = common
        self.producer = producer
        self.consumer = consumer
    }

    /// The properties librdkafka refuses, each with its reason (an unknown
    /// key, a value out of range, a feature this librdkafka was built
    /// without), checked on a configuration object that is then thrown away:
    /// nothing connects. Empty when librdkafka accepts them all.
    public func rejectedProperties() -> [(key: String, reason: String)] {
        var rejected: [(key: String, reason: String)] = []
        for properties in [common, producer, consumer] {
            for (key, value) in properties.sorted(by: { $0.key < $1.key }) {
                let config = RDConfig()
                do { try config.set(key, value) } catch let error as KafkaError {
                    rejected.append((key, error.message))
                } catch {
                    rejected.append((key, "\(error)"))
                }
            }
        }
        return rejected
    }
}

extension KafkaProducerConfiguration {
    /// A producer of `settings`: its security and producer tuning applied
    /// over this configuration's defaults.
    public init(settings: KafkaClientSettings, clientId: String = "shuangjian") {
        self.init(brokers: settings.brokers, clientId: clientId)
        properties.merge(settings.common) { $1 }
        properties.merge(settings.producer) { $1 }
    }
}

extension KafkaConsumerConfiguration {
    /// A group consumer of `settings`: its security and consumer tuning
    /// applied over this configuration's defaults.
    public init(settings: KafkaClientSettings, groupId: String, topics: [String]) {
        self.init(brokers: settings.brokers, groupId: groupId, topics: topics)
        properties.merge(settings.common) { $1 }
        properties.merge(settings.consumer) { $1 }
    }
}
