// Golden-file tests: each `.proto` under `Golden/` is compiled and emitted, and the Swift text must
// equal the `.pb.swift.golden` file next to it, byte for byte.
//
// After an intended change to the emitters, regenerate the expected files with
//
//     MEDLEDGER_UPDATE_GOLDEN=1 swift test --filter GoldenFileTests
//
// which rewrites the goldens in the source tree (not the copy in the test bundle); then review the
// diff of `Tests/ProtoCompilerTests/Golden` like any other code change before committing it.

import Foundation
import ProtoCompiler
import Testing

@Suite struct GoldenFileTests {
    /// The protos with a golden file, as paths relative to the `Golden` import root.
    static let protoPaths = ["golden/v1/everything.proto", "golden/v1/service.proto"]

    @Test(arguments: protoPaths)
    func emittedSwiftMatchesGoldenFile(protoPath: String) throws {
        let root = try #require(Bundle.module.url(forResource: "Golden", withExtension: nil))
        let model = try ProtoCompiler(importRoots: [root.path]).compile([protoPath])[0]
        let actual = SwiftFileEmitter().emit(model)
        let goldenPath = String(protoPath.dropLast(".proto".count)) + ".pb.swift.golden"

        if ProcessInfo.processInfo.environment["MEDLEDGER_UPDATE_GOLDEN"] == "1" {
            let sourceURL = Self.sourceGoldenRoot.appendingPathComponent(goldenPath)
            try actual.write(to: sourceURL, atomically: true, encoding: .utf8)
            print("Rewrote \(sourceURL.path)")
            return
        }

        let expected = try String(contentsOf: root.appendingPathComponent(goldenPath), encoding: .utf8)
        if let difference = Self.firstDifference(expected: expected, actual: actual) {
            Issue.record(
                """
                \(protoPath): generated Swift differs from \(goldenPath) \
                (run with MEDLEDGER_UPDATE_GOLDEN=1 to regenerate after an intended change)
                \(difference)
                """
            )
        }
    }

    @Test func everyGoldenProtoIsTested() throws {
        let root = try #require(Bundle.module.url(forResource: "Golden", withExtension: nil))
        let directory = root.appendingPathComponent("golden/v1")
        let protos = try FileManager.default.contentsOfDirectory(atPath: directory.path)
            .filter { $0.hasSuffix(".proto") }
            .map { "golden/v1/" + $0 }
            .sorted()
        #expect(protos == Self.protoPaths.sorted())
    }

    /// The `Golden` directory in the source tree, where regenerated files are written.
    static var sourceGoldenRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden")
    }

    /// A unified-diff-like excerpt around the first line where the texts differ, or nil if equal.
    static func firstDifference(expected: String, actual: String) -> String? {
        guard expected != actual else { return nil }
        let expectedLines = expected.split(separator: "\n", omittingEmptySubsequences: false)
        let actualLines = actual.split(separator: "\n", omittingEmptySubsequences: false)
        var index = 0
        while index < expectedLines.count, index < actualLines.count, expectedLines[index] == actualLines[index] {
            index += 1
        }
        let contextStart = max(0, index - 3)
        var report = ["@@ line \(index + 1) (expected \(expectedLines.count) lines, got \(actualLines.count)) @@"]
        for line in expectedLines[contextStart..<index] { report.append("  " + line) }
        for line in expectedLines[index..<min(index + 3, expectedLines.count)] { report.append("- " + line) }
        for line in actualLines[index..<min(index + 3, actualLines.count)] { report.append("+ " + line) }
        return report.joined(separator: "\n")
    }

    @Test func differenceReportNamesTheFirstDifferingLine() throws {
        let report = try #require(Self.firstDifference(expected: "a\nb\nc\n", actual: "a\nB\nc\n"))
        #expect(report.hasPrefix("@@ line 2 "))
        #expect(report.contains("\n  a\n"))
        #expect(report.contains("\n- b\n"))
        #expect(report.contains("\n+ B\n"))
        #expect(Self.firstDifference(expected: "same\n", actual: "same\n") == nil)
    }
}
