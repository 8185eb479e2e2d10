import Kafka
import Testing

/// Classification of librdkafka codes (no broker needed).
@Suite struct KafkaErrorTests {
    @Test func fatalCodesAreFatalNotRetriable() {
        for code: Int32 in [-150 /* __FATAL */, 47 /* INVALID_PRODUCER_EPOCH */, 29 /* TOPIC_AUTHORIZATION_FAILED */] {
            let error = KafkaError(code: code)
            #expect(error.isFatal, "\(error)")
            #expect(!error.isRetriable, "\(error)")
        }
    }

    @Test func transientCodesAreRetriable() {
        for code: Int32 in [-195 /* __TRANSPORT */, -184 /* __QUEUE_FULL */, 6 /* NOT_LEADER_FOR_PARTITION */, 7 /* REQUEST_TIMED_OUT */] {
            let error = KafkaError(code: code)
            #expect(error.isRetriable, "\(error)")
            #expect(!error.isFatal, "\(error)")
        }
    }

    @Test func otherCodesAreNeither() {
        let error = KafkaError(code: 10)  // MESSAGE_TOO_LARGE
        #expect(!error.isFatal && !error.isRetriable)
        #expect(error.name == "MSG_SIZE_TOO_LARGE")
        #expect(KafkaError(code: -195).name == "_TRANSPORT")
    }
}
