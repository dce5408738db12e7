// swift-tools-version: 6.2
import PackageDescription

let package = Package(
    name: "Tact",
    platforms: [.macOS(.v14), .iOS(.v17)],
    products: [
        .executable(name: "tact", targets: ["tact"]),
        .library(name: "TactCore", targets: ["TactCore"]),
        .library(name: "TactPrivacy", targets: ["TactPrivacy"]),
        .library(name: "TactStore", targets: ["TactStore"]),
        .library(name: "TactRecommend", targets: ["TactRecommend"]),
        .library(name: "TactDevice", targets: ["TactDevice"]),
        .library(name: "TactFederated", targets: ["TactFederated"]),
        .library(name: "TactGuard", targets: ["TactGuard"]),
        .library(name: "TactEngine", targets: ["TactEngine"]),
        .library(name: "TactServer", targets: ["TactServer"])
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-nio-extras", from: "1.35.2"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1")
    ],
    targets: [
        // Value types, sparse matrices, dataset readers. No dependencies.
        .target(name: "TactCore"),
        // Pseudonymizer, consent decisions, (later) PII, DP, k-anonymity.
        // Resources/ holds the name lists; the TextLiterals plugin compiles them in as string literals
        // (embedInCode's byte-array literal would take far too long to compile at their size).
        .target(
            name: "TactPrivacy",
            dependencies: [
                "TactCore",
                .product(name: "Crypto", package: "swift-crypto")
            ], exclude: ["Resources"], plugins: ["TextLiterals"]),
        // The Store protocol and its implementations (SQLite embedded; PostgreSQL for several servers),
        // with the audit log's hash chain.
        .target(
            name: "TactStore",
            dependencies: [
                "TactCore",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log")
            ]),
        // Recommenders and their evaluation. Numeric kernels, no I/O.
        .target(name: "TactRecommend", dependencies: ["TactCore", "TactPrivacy"]),
        // On the device: encrypted local history, local ranking with reasons, the federated client.
        // Foundation and swift-crypto only (with Core, Privacy, Recommend), so it builds for iOS.
        .target(
            name: "TactDevice",
            dependencies: [
                "TactCore", "TactPrivacy", "TactRecommend",
                .product(name: "Crypto", package: "swift-crypto")
            ]),
        // The Guard: watches access to personal data and audits models for what they leak.
        .target(name: "TactGuard", dependencies: ["TactCore", "TactPrivacy", "TactRecommend"]),
        // The server side of federated learning: secure aggregation, the federated iALS coordinator,
        // DP on the aggregate, the in-process simulator.
        .target(
            name: "TactFederated",
            dependencies: [
                "TactCore", "TactPrivacy", "TactRecommend", "TactDevice",
                .product(name: "Crypto", package: "swift-crypto")
            ]),
        // The application layer shared by the CLI and the server:
        // data directory, configuration, ingestion pipeline, synthetic data, training jobs.
        .target(
            name: "TactEngine",
            dependencies: [
                "TactCore", "TactPrivacy", "TactStore", "TactRecommend", "TactGuard",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log")
            ], resources: [.embedInCode("Resources/tact_spark_als.py")]),
        // The HTTP API: routes, keys and scopes, problem documents, metrics, background retraining;
        // the web pages (privacy center, operator console), rendered from Mustache templates.
        // Resources/: the templates and assets are compiled in by embedInCode; openapi.json as a string literal
        // by the TextLiterals plugin, because embedInCode would take minutes to compile it.
        // The C heap's use (glibc's mallinfo2, which Swift's Glibc module does not expose), for /metrics.
        .target(name: "CTactMemory"),
        .target(
            name: "TactServer",
            dependencies: [
                "TactCore", "TactPrivacy", "TactStore", "TactRecommend", "TactEngine", "TactDevice", "TactFederated", "TactGuard", "CTactMemory",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log")
            ], exclude: ["Resources/openapi.json", "Resources/text-literals.txt"],
            resources: [.embedInCode("Resources/Templates"), .embedInCode("Resources/Assets")], plugins: ["TextLiterals"]),
        // The `tact` commands, as a library so tests can drive them.
        .target(
            name: "TactCLI",
            dependencies: [
                "TactEngine", "TactServer", "TactFederated", "TactGuard",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log")
            ]),
        .executableTarget(name: "tact", dependencies: ["TactCLI"]),
        // Text files compiled into Swift string literals at build time (Resources/text-literals.txt in a target).
        .plugin(name: "TextLiterals", capability: .buildTool(), dependencies: ["text-literal"]),
        .executableTarget(name: "text-literal", path: "Tools/TextLiteral"),
        // Benchmarks: programs, never timed tests.
        .executableTarget(name: "serving-latency", dependencies: ["TactRecommend"], path: "Benchmarks/ServingLatency"),
        .executableTarget(name: "erasure-latency", dependencies: ["TactEngine"], path: "Benchmarks/Erasure"),
        // A device, played on this machine: local history, local ranking, what leaves it.
        .executableTarget(
            name: "device-example",
            dependencies: [
                "TactCore", "TactPrivacy", "TactRecommend", "TactDevice",
                .product(name: "Crypto", package: "swift-crypto")
            ], path: "Examples/DeviceExample"),
        .executableTarget(name: "federated-cost", dependencies: ["TactCore", "TactFederated", "TactPrivacy"], path: "Benchmarks/FederatedCost"),
        .executableTarget(name: "guard-harness", dependencies: ["TactCore", "TactGuard"], path: "Benchmarks/GuardHarness", exclude: ["draw_exposure.py"]),
        .executableTarget(
            name: "ad-selection", dependencies: ["TactCore", "TactPrivacy", "TactRecommend", "TactStore", "TactEngine"], path: "Benchmarks/AdSelection"),
        .executableTarget(name: "sessions-playlists", dependencies: ["TactCore", "TactRecommend", "TactEngine"], path: "Benchmarks/SessionsPlaylists"),
        .executableTarget(name: "sampler-timing", dependencies: ["TactCore", "TactPrivacy"], path: "Benchmarks/SamplerTiming"),
        .executableTarget(name: "quality", dependencies: ["TactCore", "TactRecommend", "TactEngine"], path: "Benchmarks/Quality"),
        .executableTarget(name: "pii-throughput", dependencies: ["TactCore", "TactPrivacy"], path: "Benchmarks/PIIThroughput"),

        // Temporary directories and fixtures shared by the test targets.
        .target(name: "TactTestSupport", dependencies: ["TactStore", .product(name: "GRDB", package: "GRDB.swift")], path: "Tests/TactTestSupport"),
        .testTarget(name: "TactCoreTests", dependencies: ["TactCore", "TactTestSupport"]),
        .testTarget(name: "TactPrivacyTests", dependencies: ["TactPrivacy", "TactTestSupport"]),
        .testTarget(name: "TactGuardTests", dependencies: ["TactGuard", "TactRecommend", "TactCore"]),
        .testTarget(name: "TactFederatedTests", dependencies: ["TactFederated", "TactDevice", "TactPrivacy", "TactRecommend", "TactCore", "TactTestSupport"]),
        .testTarget(
            name: "TactStoreTests",
            dependencies: [
                "TactStore", "TactTestSupport", .product(name: "GRDB", package: "GRDB.swift")
            ]),
        .testTarget(name: "TactRecommendTests", dependencies: ["TactRecommend"]),
        .testTarget(
            name: "TactEngineTests",
            dependencies: [
                "TactEngine", "TactTestSupport", .product(name: "GRDB", package: "GRDB.swift")
            ]),
        .testTarget(
            name: "TactServerTests",
            dependencies: [
                "TactServer", "TactEngine", "TactStore", "TactTestSupport", "TactDevice", "TactFederated", "TactPrivacy",
                .product(name: "HummingbirdTesting", package: "hummingbird")
            ]),
        .testTarget(
            name: "TactCLITests",
            dependencies: [
                "TactCLI", "TactEngine", "TactTestSupport", .product(name: "GRDB", package: "GRDB.swift")
            ])
    ],
    swiftLanguageModes: [.v6]
)
