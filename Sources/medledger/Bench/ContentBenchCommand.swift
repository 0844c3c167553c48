internal import ArgumentParser
internal import Foundation

extension BenchCommand {
    /// `medledger bench content`: hashing, sealed add and cat beside `sha256sum` and Python's hashlib.
    struct Content: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Time dag add --only-hash beside sha256sum and Python's hashlib, then the sealed add and cat.",
            discussion: """
                Writes a random file (or uses --file), then runs each of these RUNS times and reports the best: \
                sha256sum (a process), python3 hashlib.sha256 reading 1 MiB at a time (its hashing loop timed), \
                our --only-hash import in process and as a `medledger dag add --only-hash` child (with its peak \
                RSS from wait4), the sealed AES-256-GCM add into a fresh on-disk store (the SealContent path) and \
                the decrypting cat. Targets (issue 6): only-hash ≥0.7× hashlib, peak RSS ≤64 MiB, sealed add \
                ≥600 MB/s; exits 1 when one is missed.
                """
        )

        @Option(name: .customLong("size-mib"), help: "Size of the random file, in MiB.") var sizeMiB = 256
        @Option(help: "Measure this file instead of a random one.") var file: String?
        @Option(help: "Runs of each measurement; the best is reported.") var runs = 3
        @Flag(help: "Print the result as JSON.") var json = false

        func validate() throws {
            guard sizeMiB > 0, runs > 0 else { throw ValidationError("--size-mib and --runs must be positive") }
        }

        func run() async throws {
            let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("medledger-bench-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: scratch) }
            let input: URL
            if let file {
                input = URL(fileURLWithPath: file)
            } else {
                input = scratch.appendingPathComponent("random.bin")
                try Self.writeRandomFile(input, bytes: sizeMiB << 20)
            }
            let executable = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")
            let result = try await ContentBenchmark(file: input, runs: runs, scratch: scratch, medledger: executable).run()
            if json {
                let data = try JSONSerialization.data(withJSONObject: result.fields, options: [.sortedKeys, .prettyPrinted])
                print(String(decoding: data, as: UTF8.self))
            } else {
                print(result.text)
            }
            if !result.meetsTargets { throw ExitCode(1) }
        }

        /// Incompressible bytes, no chunk repeated (so a store cannot deduplicate), from SplitMix64
        /// seeded at random: fast enough that the file is ready in well under a second per 256 MiB.
        static func writeRandomFile(_ url: URL, bytes: Int) throws {
            guard FileManager.default.createFile(atPath: url.path, contents: nil) else { throw BenchError("cannot create \(url.path)") }
            let handle = try FileHandle(forWritingTo: url)
            defer { try? handle.close() }
            var state = UInt64.random(in: .min ... .max)
            var buffer = [UInt64](repeating: 0, count: (1 << 20) / 8)
            var remaining = bytes
            while remaining > 0 {
                for index in buffer.indices {
                    state &+= 0x9E37_79B9_7F4A_7C15
                    var z = state
                    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
                    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
                    buffer[index] = z ^ (z >> 31)
                }
                let count = min(remaining, 1 << 20)
                try buffer.withUnsafeBytes { try handle.write(contentsOf: Data($0.prefix(count))) }
                remaining -= count
            }
        }
    }
}
