// librdkafka's client API and its in-process mock cluster (used by sjctl dev-broker).
#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>
