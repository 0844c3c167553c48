// swift-tools-version: 6.1
import PackageDescription

/// One list of settings for every target: Swift 6 mode and the upcoming features that make
/// public API and existential use deliberate.
let swiftSettings: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "medledger",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "medledger", targets: ["medledger"]),
        .executable(name: "medledger-codegen", targets: ["medledger-codegen"]),
        .plugin(name: "MedLedgerCodegenPlugin", targets: ["MedLedgerCodegenPlugin"]),
        .library(name: "Wire", targets: ["Wire"]),
        .library(name: "Schema", targets: ["Schema"]),
        .library(name: "Identity", targets: ["Identity"]),
        .library(name: "LedgerCore", targets: ["LedgerCore"]),
        .library(name: "LedgerStore", targets: ["LedgerStore"]),
        .library(name: "Chaincode", targets: ["Chaincode"]),
        .library(name: "MedLedgerKit", targets: ["MedLedgerKit"]),
        .library(name: "MedLedgerTesting", targets: ["MedLedgerTesting"]),
        .library(name: "FuzzTargets", targets: ["FuzzTargets"]),
    ],
    dependencies: [
        .package(url: "https://github.com/grpc/grpc-swift-2", from: "2.4.3"),
        .package(url: "https://github.com/grpc/grpc-swift-nio-transport", from: "2.9.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.3"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-nio-http2", from: "1.46.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
        .package(url: "https://github.com/apple/swift-certificates", from: "1.21.1"),
        .package(url: "https://github.com/apple/swift-asn1", from: "1.7.4"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/vapor/jwt-kit", from: "5.8.0"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
    ],
    targets: [
        // The generator: proto3 front end, model and Swift emitters. Imports nothing of the runtime.
        .target(
            name: "ProtoCompiler",
            path: "codegen/Sources/ProtoCompiler",
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "medledger-codegen",
            dependencies: ["ProtoCompiler"],
            path: "codegen/Sources/medledger-codegen",
            swiftSettings: swiftSettings
        ),
        .plugin(
            name: "MedLedgerCodegenPlugin",
            capability: .buildTool(),
            dependencies: ["medledger-codegen"],
            path: "codegen/Plugin"
        ),

        // The protobuf wire runtime the generated code is written against.
        .target(
            name: "Wire",
            swiftSettings: swiftSettings
        ),
        // Crash-safe file replacement with an exact mode, for every file a node must not lose.
        .target(
            name: "AtomicFiles",
            swiftSettings: swiftSettings
        ),
        // Messages and service stubs generated from proto/ at build time.
        .target(
            name: "Schema",
            dependencies: [
                "Wire",
                .product(name: "GRPCCore", package: "grpc-swift-2"),
            ],
            swiftSettings: swiftSettings,
            plugins: ["MedLedgerCodegenPlugin"]
        ),
        // Record content's cryptography: the sealed stream (AES-256-GCM segments) and HPKE key
        // wrapping. The content store, the server and the SDK use it; it knows nothing of them.
        .target(
            name: "RecordCrypto",
            dependencies: [.product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: swiftSettings
        ),
        // IPFS-compatible content-addressed storage: CIDs, UnixFS over dag-pb, block files, pins,
        // CAR v1, and the sealed-stream encryption that keeps plaintext out of the store.
        .target(
            name: "ContentStore",
            dependencies: [
                "AtomicFiles",
                "RecordCrypto",
                "Schema",
                "Wire",
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: swiftSettings
        ),
        // Certificates, membership (MSP) validation, roles, request signing and verifying.
        .target(
            name: "Identity",
            dependencies: [
                "AtomicFiles",
                "Schema",
                "Wire",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
            ],
            swiftSettings: swiftSettings
        ),
        // An organisation's certificate authority: issuing, the registration store (SQLite), CRL
        // signing. Apart from Identity, so that clients do not link SQLite.
        .target(
            name: "CertificateAuthority",
            dependencies: [
                "Identity",
                "Schema",
                "Wire",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            swiftSettings: swiftSettings
        ),
        // The ledger's pure logic: block cutting, hashing, validation (signatures, endorsement
        // policy, MVCC), state-update derivation and chain verification. No I/O.
        .target(
            name: "LedgerCore",
            dependencies: [
                "Identity",
                "Schema",
                "Wire",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
            ],
            swiftSettings: swiftSettings
        ),
        // The ledger on SQLite: block store (source of truth), world state, history, tx index, recovery.
        .target(
            name: "LedgerStore",
            dependencies: [
                "LedgerCore",
                "Schema",
                "Wire",
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            swiftSettings: swiftSettings
        ),
        // The EHR contract's request, response, state and event types: one definition for the
        // contract, the node and the SDK.
        .target(
            name: "EHRModel",
            swiftSettings: swiftSettings
        ),
        // Contracts: the protocol, the simulation stub that records read-write sets, dispatch.
        .target(
            name: "Chaincode",
            dependencies: [
                "EHRModel",
                "LedgerCore",
                "Identity",
                "Schema",
                "Wire",
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
            ],
            swiftSettings: swiftSettings
        ),
        // HIPAA Safe Harbor de-identification of FHIR R4 resources for research exports: per
        // resource type, an allow-list of the elements that may leave. Pure; no I/O.
        .target(
            name: "Deidentification",
            dependencies: [
                "Identity",
                "Wire",
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: swiftSettings
        ),
        // The orderer of the multi-node network: block cutting and finality through an etcd
        // cluster (one leader per channel elected with a lease, fenced appends), its own block
        // store, and the verified chain it serves to Deliver.
        .target(
            name: "Ordering",
            dependencies: [
                "Identity",
                "LedgerCore",
                "LedgerStore",
                "Schema",
                "Wire",
                .product(name: "GRPCCore", package: "grpc-swift-2"),
                .product(name: "GRPCNIOTransportHTTP2", package: "grpc-swift-nio-transport"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        // The network on one machine: the etcd cluster and the nodes as child processes on
        // loopback, with the ordering CA's TLS files (`medledger network`, the network tests).
        .target(
            name: "LocalNetwork",
            dependencies: [
                "AtomicFiles",
                "CertificateAuthority",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "Server",
            dependencies: [
                "CertificateAuthority",
                "Chaincode",
                "EHRModel",
                "ContentStore",
                "Deidentification",
                "Identity",
                "RecordCrypto",
                "LedgerCore",
                "LedgerStore",
                "Ordering",
                "Schema",
                "Wire",
                .product(name: "GRPCCore", package: "grpc-swift-2"),
                .product(name: "GRPCNIOTransportHTTP2", package: "grpc-swift-nio-transport"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOTLS", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOHTTP2", package: "swift-nio-http2"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ],
            swiftSettings: swiftSettings
        ),
        // The Swift client SDK: builds and signs proposals, drives the Gateway for one identity.
        .target(
            name: "MedLedgerKit",
            dependencies: [
                "ContentStore",
                "EHRModel",
                "Identity",
                "LedgerCore",
                "RecordCrypto",
                "Schema",
                "Wire",
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
                .product(name: "GRPCCore", package: "grpc-swift-2"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: swiftSettings
        ),
        // The local web app (`medledger portal`): templates, routes, the user's key held locally.
        .target(
            name: "Portal",
            dependencies: [
                "MedLedgerKit",
                "EHRModel",
                "Identity",
                .product(name: "GRPCCore", package: "grpc-swift-2"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "medledger",
            dependencies: [
                "CertificateAuthority",
                "Portal",
                "LocalNetwork",
                "Ordering",
                "Server",
                "MedLedgerKit",
                "Chaincode",
                "EHRModel",
                "LedgerCore",
                "LedgerStore",
                "ContentStore",
                "Identity",
                "RecordCrypto",
                .product(name: "GRPCCore", package: "grpc-swift-2"),
                .product(name: "GRPCNIOTransportHTTP2", package: "grpc-swift-nio-transport"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
                .product(name: "Crypto", package: "swift-crypto"),
                "Schema",
                "Wire",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),

        // Test support as a product: the in-process development network, test identities,
        // temporary directories, a process runner and a seeded RNG, for MedLedger's own tests
        // and for anyone testing against MedLedger.
        .target(
            name: "MedLedgerTesting",
            dependencies: [
                "Identity",
                "LedgerStore",
                "MedLedgerKit",
                "Server",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
                .product(name: "GRPCCore", package: "grpc-swift-2"),
                .product(name: "GRPCNIOTransportHTTP2", package: "grpc-swift-nio-transport"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "X509", package: "swift-certificates"),
            ],
            swiftSettings: swiftSettings
        ),

        // Every decoder of untrusted bytes as a fuzz target: run by the libFuzzer driver in Fuzz/
        // and, on the kept corpus, by FuzzTargetsTests in CI.
        .target(
            name: "FuzzTargets",
            dependencies: [
                "Wire", "Schema", "Identity", "ContentStore", "CertificateAuthority", "LedgerCore", "RecordCrypto", "ProtoCompiler",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
                .product(name: "X509", package: "swift-certificates"),
            ],
            swiftSettings: swiftSettings
        ),

        .testTarget(
            name: "FuzzTargetsTests",
            dependencies: ["FuzzTargets"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "ServerTests",
            dependencies: [
                "MedLedgerTesting", "Server", "LedgerCore", "Schema", "Wire", "EHRModel", "Identity",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "JWTKit", package: "jwt-kit"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "PortalTests",
            dependencies: [
                "Portal", "EHRModel",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "MedLedgerKitTests",
            dependencies: [
                "MedLedgerTesting", "MedLedgerKit", "EHRModel", "Schema", "Wire",
                .product(name: "GRPCNIOTransportHTTP2", package: "grpc-swift-nio-transport"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "RecordCryptoTests",
            dependencies: ["MedLedgerTesting", "RecordCrypto", .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "ContentStoreTests",
            dependencies: ["MedLedgerTesting", 
                "ContentStore",
                "RecordCrypto",
                "Schema",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
            ],
            exclude: ["Oracles"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "IdentityTests",
            dependencies: ["MedLedgerTesting", 
                "CertificateAuthority",
                "Identity",
                "Schema",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "LedgerCoreTests",
            dependencies: ["MedLedgerTesting", 
                "CertificateAuthority",
                "LedgerCore",
                "Identity",
                "Schema",
                "Wire",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "X509", package: "swift-certificates"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "LedgerStoreTests",
            dependencies: ["MedLedgerTesting", "LedgerStore", "LedgerCore", "Schema", "Wire"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "ChaincodeTests",
            dependencies: ["MedLedgerTesting", "CertificateAuthority", "Chaincode", "EHRModel", "LedgerCore", "Identity", "Schema"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "DeidentificationTests",
            dependencies: ["MedLedgerTesting", "Deidentification", "Wire", .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: swiftSettings
        ),
        .testTarget(name: "WireTests", dependencies: ["MedLedgerTesting", "Wire"], swiftSettings: swiftSettings),
        .testTarget(
            name: "ProtoCompilerTests",
            dependencies: ["MedLedgerTesting", "ProtoCompiler"],
            resources: [.copy("Golden")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "SchemaTests",
            dependencies: ["MedLedgerTesting", "Schema", "Wire"],
            exclude: ["Oracles"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "IntegrationTests",
            dependencies: ["MedLedgerTesting", 
                "CertificateAuthority",
                "EHRModel",
                "Server",
                "MedLedgerKit",
                "Chaincode",
                "LedgerCore",
                "LedgerStore",
                "ContentStore",
                "Identity",
                "RecordCrypto",
                "Schema",
                "Wire",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "GRPCCore", package: "grpc-swift-2"),
                .product(name: "GRPCNIOTransportHTTP2", package: "grpc-swift-nio-transport"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            exclude: ["Python"],
            swiftSettings: swiftSettings
        ),
        // The multi-node network over real processes: an etcd cluster, orderers and peers.
        .testTarget(
            name: "NetworkTests",
            dependencies: [
                "MedLedgerTesting", "MedLedgerKit", "Server", "CertificateAuthority", "LocalNetwork", "Ordering", "LedgerCore",
                "LedgerStore", "Identity", "Schema", "Wire",
                .product(name: "GRPCCore", package: "grpc-swift-2"),
                .product(name: "GRPCNIOTransportHTTP2", package: "grpc-swift-nio-transport"),
                .product(name: "Logging", package: "swift-log"),
            ],
            exclude: ["Python"],
            swiftSettings: swiftSettings
        ),
    ]
)
