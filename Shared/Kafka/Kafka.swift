// Shared/Kafka: a thin layer over librdkafka (DESIGN.md §3, §7).
//
// Layout, one job per file:
//   KafkaTypes.swift           records, messages, headers, reports, specs
//   KafkaError.swift           error value + classification
//   KafkaConfiguration.swift   producer/consumer configuration (defaults)
//   RDConfig.swift             owner of rd_kafka_conf_t until rd_kafka_new takes it
//   RDClient.swift             owner of rd_kafka_t + its callback context
//   BlockingExecutor.swift     per-client serial queue for blocking C calls
//   RDHeaders.swift            owner of rd_kafka_headers_t, conversions
//   RDPartitionList.swift      owner of rd_kafka_topic_partition_list_t
//   DeliveryBatch.swift        one send call's delivery reports, awaited once
//   DeliveryTracker.swift      live batches (for close) + queue-full waiters
//   PollThread.swift           producer thread serving rd_kafka_poll
//   KafkaProducer.swift, KafkaConsumer.swift, KafkaAdmin.swift, KafkaMockCluster.swift
