internal import ArgumentParser
internal import Foundation

extension BenchCommand {
    /// `medledger bench soak`: the EHR mix under load for minutes, watching the node's memory and files.
    struct Soak: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run the EHR workload mix against a dev node for minutes; report per-operation latency, errors, memory and open files.",
            discussion: """
                Starts `medledger dev` as a child process on a free loopback port, sets up three patients, records, a \
                consent and a study, then runs CLIENTS clients (each its own mTLS connection as one identity) for \
                MINUTES: uploads 25%, reads with consent 25%, reads without consent 15% (expected denials), consent \
                changes 10% (each followed by 10 s of think time), audit queries 15%, break-glass 5%, exports 5% (at least one client each). A \
                transaction that loses an MVCC race with a concurrent one is retried, as Fabric clients do, and \
                counted. The node's resident memory and open \
                files are read from /proc every 5 s; growth is measured from the end of warm-up (--warm-up, by default \
                half the run, at most 5 minutes: the node's bounded caches fill meanwhile). Exits non-zero on any unexpected error, or when resident memory grows by more \
                than --max-growth percent after warm-up.
                """)

        @Option(help: "How long to run, in minutes (fractions allowed).") var minutes = 10.0
        @Option(help: "Concurrent clients.") var clients = 64
        @Option(help: "The most resident-memory growth after warm-up, in percent, that passes.") var maxGrowth = 10.0
        @Option(help: "Warm-up before the memory baseline, in minutes (default: half the run, at most 5).") var warmUp: Double?
        @Option(help: "A pause after each operation of each client, in milliseconds (0: back to back), for a light load.") var pace = 0
        @Flag(help: "Print the report as JSON.") var json = false

        func validate() throws {
            if let warmUp, !(0..<minutes).contains(warmUp) { throw ValidationError("--warm-up must be at least 0 and shorter than --minutes") }
            guard pace >= 0 else { throw ValidationError("--pace must not be negative") }
            guard minutes > 0, clients >= SoakOperation.allCases.count else {
                throw ValidationError("--minutes must be positive and --clients at least \(SoakOperation.allCases.count) (one per operation)")
            }
        }

        func run() async throws {
            let warmUpMinutes = warmUp ?? min(5, minutes / 2)
            let report = try await SoakBenchmark(
                duration: .milliseconds(Int64(minutes * 60_000)), clients: clients, warmUp: .milliseconds(Int64(warmUpMinutes * 60_000)),
                pace: .milliseconds(pace)
            ).run()
            if json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
                print(String(decoding: try encoder.encode(report), as: UTF8.self))
            } else {
                print(Self.text(report))
            }
            if report.errors > 0 { throw ExitCode(1) }
            if report.residentGrowthPercent > maxGrowth { throw ExitCode(2) }
        }

        static func text(_ report: SoakBenchmark.Report) -> String {
            var lines = ["soak: \(report.clients) clients for \(String(format: "%.1f", report.minutes)) min"]
            lines.append("operation            clients    count  denials conflicts errors   p50 ms   p99 ms   max ms")
            for operation in report.operations {
                let numbers = String(
                    format: " %7d %8d %8d %9d %6d %8.1f %8.1f %8.1f", operation.clients, operation.count, operation.expectedDenials,
                    operation.conflictsRetried, operation.errors, operation.p50Milliseconds, operation.p99Milliseconds, operation.maxMilliseconds)
                lines.append(operation.name.padding(toLength: 20, withPad: " ", startingAt: 0) + numbers)
                if let first = operation.firstError { lines.append("  first error: \(first)") }
            }
            let mib = { (bytes: UInt64) in String(format: "%.1f MiB", Double(bytes) / 1_048_576) }
            lines.append(
                "node resident memory: \(mib(report.residentAfterWarmUp)) after warm-up, \(mib(report.residentAtEnd)) at the end (\(String(format: "%+.1f", report.residentGrowthPercent))%)")
            lines.append("node open files: \(report.openFilesAfterWarmUp) after warm-up, \(report.openFilesAtEnd) at the end")
            return lines.joined(separator: "\n")
        }
    }
}
