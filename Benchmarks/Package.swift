// swift-tools-version: 6.1
import PackageDescription

/// The settings of the root package, so benchmark code reads like the code it measures.
let swiftSettings: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

/// Codec benchmarks: MedLedger's `Wire` runtime against swift-protobuf and protobuf-c, decoding and
/// encoding the same bytes. A package of its own, so the root package never depends on the peers.
let package = Package(
    name: "MedLedgerBenchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "medledger", path: ".."),
        // Only the malloc interposer: the ARC runtime interposer (a default trait) is not mirrored here.
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
        .package(url: "https://github.com/apple/swift-protobuf", exact: "1.39.0"),
        // The allocation counters the benchmark harness uses, read directly by CodecRatios.
        .package(url: "https://github.com/ordo-one/malloc-interposer.git", from: "1.5.0"),
    ],
    targets: [
        // swift-protobuf's code for ledger/block/channel/common.proto, generated once (see README).
        .target(
            name: "SwiftProtobufPeer",
            dependencies: [.product(name: "SwiftProtobuf", package: "swift-protobuf")]
        ),
        // protoc-c's code for the same files, generated once (see README), and the C side of each operation.
        .target(
            name: "ProtobufCPeer",
            cSettings: [.headerSearchPath(".")],
            linkerSettings: [.linkedLibrary("protobuf-c")]
        ),
        // The sample ledger data and the operations, one implementation per codec.
        .target(
            name: "CodecComparison",
            dependencies: [
                "SwiftProtobufPeer",
                "ProtobufCPeer",
                .product(name: "Wire", package: "medledger"),
                .product(name: "Schema", package: "medledger"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
            ],
            swiftSettings: swiftSettings
        ),
        // Prints ns/op, allocations/op and ratios without the benchmark harness.
        .executableTarget(
            name: "CodecRatios",
            dependencies: [
                "CodecComparison",
                .product(name: "MallocInterposerSwift", package: "malloc-interposer"),
            ],
            swiftSettings: swiftSettings
        ),
        // Request signing and verification (Identity) beside `openssl speed ecdsap256`, in one run.
        .executableTarget(
            name: "SignatureRatios",
            dependencies: [.product(name: "Identity", package: "medledger")],
            swiftSettings: swiftSettings
        ),
        // `swift package benchmark`: the same operations under ordo-one/benchmark.
        .executableTarget(
            name: "Codecs",
            dependencies: [
                "CodecComparison",
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "Benchmarks/Codecs",
            swiftSettings: swiftSettings,
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
    ]
)
