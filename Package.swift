// swift-tools-version:6.0
import PackageDescription

// Layout: ../shared/DESIGN.md §2. Shared/* are libraries every service links;
// Services/* are the four services and sjctl. Kafka and Postgres are thin
// layers over the C clients (librdkafka, libpq), found through pkg-config.
let package = Package(
    name: "Shuangjian",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "registry", targets: ["Registry"]),
        .executable(name: "scheduling", targets: ["Scheduling"]),
        .executable(name: "inspection", targets: ["Inspection"]),
        .executable(name: "notification", targets: ["Notification"]),
        .executable(name: "sjctl", targets: ["Ctl"]),
        .library(name: "Kafka", targets: ["Kafka"]),
        .library(name: "Postgres", targets: ["Postgres"]),
        .library(name: "Domain", targets: ["Domain"]),
        .library(name: "EventFlow", targets: ["EventFlow"]),
        .library(name: "ServiceKit", targets: ["ServiceKit"]),
        .library(name: "Audit", targets: ["Audit"]),
        .library(name: "Directory", targets: ["Directory"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.3"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        // The notification service's outbound calls (already in the graph through Hummingbird).
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CRdKafka", path: "Shared/CRdKafka", pkgConfig: "rdkafka",
            providers: [.apt(["librdkafka-dev"])]),
        .systemLibrary(
            name: "CLibPQ", path: "Shared/CLibPQ", pkgConfig: "libpq",
            providers: [.apt(["libpq-dev"])]),
        .target(
            name: "Kafka", dependencies: ["CRdKafka", .product(name: "Logging", package: "swift-log")],
            path: "Shared/Kafka"),
        .target(
            name: "Postgres",
            dependencies: ["CLibPQ", .product(name: "Crypto", package: "swift-crypto"), .product(name: "Logging", package: "swift-log")],
            path: "Shared/Postgres"),
        .target(name: "Domain", path: "Shared/Domain", resources: [.copy("Holidays")]),
        .target(
            name: "EventFlow",
            dependencies: [
                "Kafka", "Postgres", "Domain",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "Shared/EventFlow",
            resources: [.copy("Migrations")]),
        // The hash-chained audit log every service writes, its head publisher
        // and its verifier (docs/architecture.md, "Audit trail").
        .target(
            name: "Audit",
            dependencies: [
                "Kafka", "Postgres", "Domain", "EventFlow",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "Shared/Audit",
            resources: [.copy("Migrations")]),
        // The registry's units, duty matrix and people as a consuming service
        // learns them from the registry's topics (docs/architecture.md, "Directory").
        .target(
            name: "Directory",
            dependencies: ["Postgres", "Domain", "EventFlow", .product(name: "Logging", package: "swift-log")],
            path: "Shared/Directory",
            resources: [.copy("Migrations")]),
        .target(
            name: "ServiceKit",
            dependencies: [
                "Kafka", "Postgres", "Domain", "EventFlow", "Audit",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Shared/ServiceKit"),
        // Channel secrets sealed (AES-GCM, keyed, bound to their owner and
        // channel): the notification service seals and opens them, `sjctl
        // secrets reseal` moves them to the newest key.
        .target(
            name: "ChannelSecrets",
            dependencies: ["ServiceKit", .product(name: "Crypto", package: "swift-crypto")],
            path: "Shared/ChannelSecrets"),
        .executableTarget(
            name: "Registry",
            dependencies: [
                "ServiceKit", "EventFlow", "Postgres", "Domain", "Audit",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Services/Registry",
            resources: [.copy("Migrations"), .copy("Seed")]),
        .executableTarget(
            name: "Scheduling",
            dependencies: [
                "ServiceKit", "EventFlow", "Postgres", "Domain", "Audit", "Directory",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "Services/Scheduling",
            resources: [.copy("Migrations")]),
        .executableTarget(
            name: "Inspection",
            dependencies: [
                "ServiceKit", "EventFlow", "Postgres", "Domain", "Audit", "Directory",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Services/Inspection",
            resources: [.copy("Migrations"), .copy("Rules")]),
        .executableTarget(
            name: "Notification",
            dependencies: [
                "ServiceKit", "EventFlow", "Postgres", "Domain", "Audit", "ChannelSecrets",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Metrics", package: "swift-metrics"),
            ],
            path: "Services/Notification",
            resources: [.copy("Migrations"), .copy("Rules")]),
        .executableTarget(
            name: "Ctl",
            dependencies: [
                "Kafka", "Postgres", "Domain", "EventFlow", "ServiceKit", "Audit", "ChannelSecrets",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Hummingbird", package: "hummingbird"),
            ],
            path: "Services/Ctl"),
        .testTarget(name: "KafkaTests", dependencies: ["Kafka", "Domain", "TestSupport"], path: "Tests/KafkaTests"),
        .testTarget(name: "PostgresTests", dependencies: ["Postgres", "TestSupport"], path: "Tests/PostgresTests"),
        .testTarget(name: "DomainTests", dependencies: ["Domain"], path: "Tests/DomainTests"),
        .testTarget(
            name: "ServiceKitTests",
            dependencies: [
                "ServiceKit", "Kafka", "Postgres", "TestSupport", .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Metrics", package: "swift-metrics"), .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "Tests/ServiceKitTests"),
        // Shared by RegistryTests, NotificationTests and NotificationBench (test
        // targets cannot import each other): the contract checker (YAML, `$ref`,
        // JSON Schema, AsyncAPI, OpenAPI), free ports, new databases, launching
        // service binaries and a private dev broker.
        .target(
            name: "TestSupport",
            dependencies: [
                "EventFlow", "Kafka", "Postgres", "ServiceKit",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Yams", package: "Yams"),
            ],
            path: "Tests/TestSupport"),
        .testTarget(
            name: "RegistryTests",
            dependencies: [
                "Registry", "ServiceKit", "EventFlow", "Kafka", "Postgres", "Domain",
                // Reads docs/openapi/*.yaml and docs/asyncapi.yaml to keep them true.
                "TestSupport",
                .product(name: "Yams", package: "Yams"),
            ],
            path: "Tests/RegistryTests"),
        .testTarget(
            name: "NotificationTests",
            dependencies: [
                "Notification", "ServiceKit", "EventFlow", "Kafka", "Postgres", "Domain", "ChannelSecrets",
                // The local HTTP sink that stands in for webhooks, robots and SMS gateways.
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Yams", package: "Yams"),
                "TestSupport",
            ],
            path: "Tests/NotificationTests"),
        .testTarget(
            name: "InspectionTests",
            dependencies: [
                "Inspection", "ServiceKit", "EventFlow", "Kafka", "Postgres", "Domain", "Directory", "TestSupport",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Yams", package: "Yams"),
            ],
            path: "Tests/InspectionTests"),
        // County signals → scored and committed; crossing signal → warning (scripts/bench-inspection.sh).
        .executableTarget(
            name: "InspectionBench",
            dependencies: [
                "EventFlow", "Kafka", "Postgres", "Domain", "TestSupport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Tests/InspectionBench"),
        // A 协调函 to 26 units → 26 liaisons' inboxes, commit to commit (scripts/bench-scheduling.sh).
        .executableTarget(
            name: "SchedulingBench",
            dependencies: [
                "Postgres", "ServiceKit", "Domain", "TestSupport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Tests/SchedulingBench"),
        // Event → notification → webhook sink: alerts/s and latency (scripts/bench-notification.sh).
        .executableTarget(
            name: "NotificationBench",
            dependencies: [
                "EventFlow", "Kafka", "Postgres", "ServiceKit", "Domain", "TestSupport",
                .product(name: "Hummingbird", package: "hummingbird"),
                // `--sink-only`: the sink measured alone, with the client the service uses.
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Tests/NotificationBench"),
        // @testable import Ctl: the topic plan and creation logic, tested
        // without a cluster that answers CreateTopics.
        // Its outbox tests start EventFlowProbe (relay, consumers) and private dev brokers.
        .testTarget(
            name: "CtlTests", dependencies: ["Ctl", "Kafka", "Domain", "EventFlow", "Postgres", "TestSupport"],
            path: "Tests/CtlTests"),
        // A small service-like process that the EventFlow tests start, kill and restart.
        .executableTarget(
            name: "EventFlowProbe",
            dependencies: [
                "EventFlow", "Kafka", "Postgres",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "Tests/EventFlowProbe"),
        // The audit log against a real PostgreSQL, its head publisher against a
        // private dev broker, and `sjctl audit` run as a process.
        .testTarget(
            name: "AuditTests",
            dependencies: [
                "Audit", "ServiceKit", "EventFlow", "Kafka", "Postgres", "Domain", "TestSupport",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            path: "Tests/AuditTests"),
        .testTarget(
            name: "DirectoryTests",
            dependencies: [
                "Directory", "ServiceKit", "EventFlow", "Kafka", "Postgres", "Domain", "TestSupport",
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Tests/DirectoryTests"),
        .testTarget(
            name: "SchedulingTests",
            dependencies: [
                "Scheduling", "Directory", "ServiceKit", "EventFlow", "Kafka", "Postgres", "Domain", "Audit", "TestSupport",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Yams", package: "Yams"),
            ],
            path: "Tests/SchedulingTests"),
        .testTarget(
            name: "EventFlowTests", dependencies: ["EventFlow", "Kafka", "Postgres", "Domain", "TestSupport"],
            path: "Tests/EventFlowTests"),
    ],
    swiftLanguageModes: [.v6]
)
