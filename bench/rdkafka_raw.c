/*
 * The raw baseline for `sjctl bench kafka`: the same work as the Swift layer's
 * benchmark, written directly against librdkafka's C API with the same
 * producer settings (idempotence, acks=all, linger 5 ms).
 *
 *   rdkafka_raw produce BROKERS TOPIC COUNT SIZE
 *       produce COUNT messages of SIZE bytes, wait for every delivery report
 *   rdkafka_raw roundtrip BROKERS TOPIC COUNT SIZE GROUP [KEY=VALUE...]
 *       join a consumer group (one warm-up message, not timed), then produce
 *       COUNT messages while a second thread consumes them until all arrived,
 *       and commit once; KEY=VALUE are extra consumer settings (the Swift
 *       side applies the same ones)
 *
 * Both modes first send one warm-up message (metadata, producer id), not
 * timed, as the Swift side does.
 *
 * Prints one line: "<msgs per second> <CPU ns of this process per message>",
 * both over the timed part only. The CPU figure is steadier than the rate on
 * a shared machine: it does not count time spent waiting for a busy core.
 */
#include <librdkafka/rdkafka.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static long delivered = 0, failed = 0;

static void on_delivery(rd_kafka_t *rk, const rd_kafka_message_t *m, void *opaque) {
    (void)rk; (void)opaque;
    if (m->err) failed++; else delivered++;
}

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* CPU time of every thread of this process. */
static double cpu_now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void set(rd_kafka_conf_t *conf, const char *k, const char *v) {
    char err[512];
    if (rd_kafka_conf_set(conf, k, v, err, sizeof err) != RD_KAFKA_CONF_OK) {
        fprintf(stderr, "%s: %s\n", k, err);
        exit(2);
    }
}

static rd_kafka_t *new_producer(const char *brokers) {
    char err[512];
    rd_kafka_conf_t *conf = rd_kafka_conf_new();
    set(conf, "bootstrap.servers", brokers);
    set(conf, "enable.idempotence", "true");
    set(conf, "acks", "all");
    set(conf, "linger.ms", "5");
    rd_kafka_conf_set_dr_msg_cb(conf, on_delivery);
    rd_kafka_t *rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, err, sizeof err);
    if (!rk) { fprintf(stderr, "%s\n", err); exit(2); }
    return rk;
}

static void produce_all(rd_kafka_t *rk, const char *topic, long count, int size) {
    char *payload = malloc(size);
    memset(payload, 'x', size);
    char key[32];
    for (long i = 0; i < count; i++) {
        int keylen = snprintf(key, sizeof key, "key-%ld", i % 1000);
        for (;;) {
            rd_kafka_resp_err_t e = rd_kafka_producev(
                rk, RD_KAFKA_V_TOPIC(topic), RD_KAFKA_V_KEY(key, keylen),
                RD_KAFKA_V_VALUE(payload, size), RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_END);
            if (e == RD_KAFKA_RESP_ERR_NO_ERROR) break;
            if (e != RD_KAFKA_RESP_ERR__QUEUE_FULL) { fprintf(stderr, "%s\n", rd_kafka_err2str(e)); exit(1); }
            rd_kafka_poll(rk, 1);
        }
        rd_kafka_poll(rk, 0);
    }
    while (delivered + failed < count) rd_kafka_poll(rk, 10);
    free(payload);
    if (failed) { fprintf(stderr, "%ld deliveries failed\n", failed); exit(1); }
}

static rd_kafka_t *new_consumer(const char *brokers, const char *group, const char *topic,
                                int extra_count, char **extra) {
    char err[512];
    rd_kafka_conf_t *conf = rd_kafka_conf_new();
    set(conf, "bootstrap.servers", brokers);
    set(conf, "group.id", group);
    set(conf, "auto.offset.reset", "earliest");
    set(conf, "enable.auto.commit", "false");
    set(conf, "fetch.wait.max.ms", "10");
    for (int i = 0; i < extra_count; i++) {
        char *eq = strchr(extra[i], '=');
        if (!eq) { fprintf(stderr, "expected KEY=VALUE: %s\n", extra[i]); exit(2); }
        *eq = '\0';
        set(conf, extra[i], eq + 1);
    }
    rd_kafka_t *rk = rd_kafka_new(RD_KAFKA_CONSUMER, conf, err, sizeof err);
    if (!rk) { fprintf(stderr, "%s\n", err); exit(2); }
    rd_kafka_poll_set_consumer(rk);
    rd_kafka_topic_partition_list_t *topics = rd_kafka_topic_partition_list_new(1);
    rd_kafka_topic_partition_list_add(topics, topic, RD_KAFKA_PARTITION_UA);
    rd_kafka_subscribe(rk, topics);
    rd_kafka_topic_partition_list_destroy(topics);
    return rk;
}

/* The consuming side of `roundtrip`, on its own thread so that it runs while
 * the main thread produces, as the Swift benchmark's consumer does. */
struct consume_job { rd_kafka_t *consumer; long count; };

static void *consume_all(void *arg) {
    struct consume_job *job = arg;
    long received = 0;
    while (received < job->count) {
        rd_kafka_message_t *m = rd_kafka_consumer_poll(job->consumer, 100);
        if (!m) continue;
        if (!m->err) received++;
        rd_kafka_message_destroy(m);
    }
    rd_kafka_commit(job->consumer, NULL, 0);
    return NULL;
}

int main(int argc, char **argv) {
    if (argc < 6) { fprintf(stderr, "usage: see the comment at the top\n"); return 2; }
    const char *mode = argv[1], *brokers = argv[2], *topic = argv[3];
    long count = atol(argv[4]);
    int size = atoi(argv[5]);
    rd_kafka_t *producer = new_producer(brokers);

    if (strcmp(mode, "produce") == 0) {
        /* Warm up: metadata and the idempotent producer id. */
        produce_all(producer, topic, 1, size);
        delivered = 0;
        double start = now(), cpu = cpu_now();
        produce_all(producer, topic, count, size);
        double seconds = now() - start;
        printf("%.0f %.0f\n", count / seconds, (cpu_now() - cpu) * 1e9 / count);
    } else if (strcmp(mode, "roundtrip") == 0 && argc >= 7) {
        rd_kafka_t *consumer = new_consumer(brokers, argv[6], topic, argc - 7, argv + 7);
        /* Warm up: one message through, so the group join is not timed. */
        produce_all(producer, topic, 1, size);
        delivered = 0;
        for (int got = 0; !got;) {
            rd_kafka_message_t *m = rd_kafka_consumer_poll(consumer, 100);
            if (m) { got = !m->err; rd_kafka_message_destroy(m); }
        }
        struct consume_job job = { consumer, count };
        pthread_t thread;
        double start = now(), cpu = cpu_now();
        pthread_create(&thread, NULL, consume_all, &job);
        produce_all(producer, topic, count, size);
        pthread_join(thread, NULL);
        double seconds = now() - start;
        printf("%.0f %.0f\n", count / seconds, (cpu_now() - cpu) * 1e9 / count);
        rd_kafka_consumer_close(consumer);
        rd_kafka_destroy(consumer);
    } else {
        fprintf(stderr, "unknown mode %s\n", mode);
        return 2;
    }
    rd_kafka_flush(producer, 5000);
    rd_kafka_destroy(producer);
    return 0;
}
