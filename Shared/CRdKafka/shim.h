// librdkafka's client API and its in-process mock cluster (used by sjctl dev-broker).
#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>

// Swift cannot call C variadic functions such as rd_kafka_producev, and
// rd_kafka_produceva reports every failure as an allocated rd_kafka_error_t.
// This fixed-arity wrapper returns a bare code instead, so the common
// failure — a full local queue, retried by the producer — allocates nothing.
// key/value NULL: no key / null value (tombstone). headers NULL: none; on
// success librdkafka owns them, on failure they stay the caller's.
// RD_KAFKA_MSG_F_COPY: the Swift arrays need not outlive the call.
static inline rd_kafka_resp_err_t sj_produce(
    rd_kafka_t *rk, const char *topic, int32_t partition,
    const void *key, size_t key_len, const void *value, size_t value_len,
    rd_kafka_headers_t *headers, void *opaque) {
    return rd_kafka_producev(
        rk, RD_KAFKA_V_TOPIC(topic), RD_KAFKA_V_PARTITION(partition),
        RD_KAFKA_V_KEY(key, key_len), RD_KAFKA_V_VALUE((void *)value, value_len),
        RD_KAFKA_V_HEADERS(headers), RD_KAFKA_V_OPAQUE(opaque),
        RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_END);
}
