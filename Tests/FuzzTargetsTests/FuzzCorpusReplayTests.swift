import Foundation
import FuzzTargets
import Testing

/// CI does not fuzz; it replays what fuzzing kept: every input of `Fuzz/corpus/<target>/` (a
/// minimized corpus, seeds included) and every input that once crashed a target
/// (`Fuzz/regressions/<target>/`) must run to the end without a crash or a broken round trip.
@Suite("Fuzz corpus replay")
struct FuzzCorpusReplayTests {
    static let fuzzDirectory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().appending(path: "Fuzz")

    static func inputs(of target: FuzzTarget, in kind: String) -> [URL] {
        let directory = fuzzDirectory.appending(path: "\(kind)/\(target.rawValue)")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { !$0.hasPrefix(".") }.sorted().map { directory.appending(path: $0) }
    }

    @Test(arguments: FuzzTarget.allCases)
    func everyKeptInputRunsToTheEnd(_ target: FuzzTarget) async throws {
        let corpus = Self.inputs(of: target, in: "corpus")
        #expect(corpus.count >= 3, "Fuzz/corpus/\(target.rawValue) holds \(corpus.count) inputs; run Fuzz/run to seed and grow it")
        for input in corpus + Self.inputs(of: target, in: "regressions") {
            await target.run(try Data(contentsOf: input))
        }
    }
}
