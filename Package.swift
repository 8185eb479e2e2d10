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
        .library(name: "ServiceKit", targets: ["ServiceKit"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
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
            name: "Postgres", dependencies: ["CLibPQ", .product(name: "Logging", package: "swift-log")],
            path: "Shared/Postgres"),
        .target(name: "Domain", path: "Shared/Domain"),
        .target(
            name: "ServiceKit",
            dependencies: [
                "Kafka", "Postgres", "Domain",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Shared/ServiceKit"),
        .executableTarget(
            name: "Registry", dependencies: ["ServiceKit"], path: "Services/Registry",
            resources: [.copy("Migrations")]),
        .executableTarget(
            name: "Scheduling", dependencies: ["ServiceKit"], path: "Services/Scheduling",
            resources: [.copy("Migrations")]),
        .executableTarget(
            name: "Inspection", dependencies: ["ServiceKit"], path: "Services/Inspection",
            resources: [.copy("Migrations")]),
        .executableTarget(
            name: "Notification", dependencies: ["ServiceKit"], path: "Services/Notification",
            resources: [.copy("Migrations")]),
        .executableTarget(
            name: "Ctl",
            dependencies: [
                "Kafka", "Postgres", "Domain", "ServiceKit", "CRdKafka",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Hummingbird", package: "hummingbird"),
            ],
            path: "Services/Ctl"),
        .testTarget(name: "KafkaTests", dependencies: ["Kafka", "Domain"], path: "Tests/KafkaTests"),
        .testTarget(name: "PostgresTests", dependencies: ["Postgres"], path: "Tests/PostgresTests"),
        .testTarget(name: "DomainTests", dependencies: ["Domain"], path: "Tests/DomainTests"),
        .testTarget(name: "ServiceKitTests", dependencies: ["ServiceKit"], path: "Tests/ServiceKitTests"),
    ],
    swiftLanguageModes: [.v6]
)
