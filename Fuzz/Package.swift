// swift-tools-version: 6.1
import PackageDescription

/// libFuzzer driver for MedLedger's decoders of untrusted bytes (`FuzzTargets` in the root
/// package). A package of its own because it is built with `-sanitize=fuzzer,address`; `run`
/// builds and runs it. CI does not fuzz: it replays the corpus kept in `corpus/` and `regressions/`.
let package = Package(
    name: "MedLedgerFuzz",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "medledger", path: ".."),
    ],
    targets: [
        .executableTarget(
            name: "medledger-fuzz",
            dependencies: [.product(name: "FuzzTargets", package: "medledger")],
            swiftSettings: [.swiftLanguageMode(.v6)]
        ),
    ]
)
