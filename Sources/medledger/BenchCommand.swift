internal import ArgumentParser
internal import Foundation
internal import LedgerStore

/// `medledger bench …`: load generators that report ratios against a peer measured in the same run.
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure the node under load.",
        subcommands: [Ledger.self, Content.self]
    )

    /// `medledger bench ledger`: committed transactions per second beside the signature bound.
    struct Ledger: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Endorse, order, validate and commit transactions from concurrent signed clients.",
            discussion: """
                Starts a node in-process on 127.0.0.1 (own temporary data directory), creates a channel of two \
                organisations, and runs CLIENTS clients (alternating organisations), each with its own mTLS \
                connection. Every transaction (asset Put) is endorsed, signed by its client, ordered, validated \
                with all signatures checked, and committed with one fsync per block. Reports committed tx/s, \
                submit→commit latency and the crypto-only bound measured in the same run: the rate at which \
                this machine's cores can do a transaction's three P-256 signatures and three verifications.
                """
        )

        enum Mode: String, ExpressibleByArgument, CaseIterable {
            case stream, unary
        }

        @Option(help: "Transactions in total.") var transactions = 20_000
        @Option(help: "Concurrent clients.") var clients = 8
        @Option(help: "stream (endorse+submit pipelined on one SubmitStream per client) or unary (Endorse, Submit, CommitStatus calls).")
        var mode: Mode = .stream
        @Option(help: "Transactions in flight per client.") var window = 64
        @Option(help: "Offered load in tx/s (0: as fast as the windows allow).") var rate = 0
        @Option(help: "Block store durability: full (fsync per block) or normal.") var durability = "full"
        @Option(help: "The channel's block cutter timeout in milliseconds.") var batchTimeout = 20
        @Flag(help: "Print the result as JSON.") var json = false

        func validate() throws {
            guard transactions > 0, clients > 0, window > 0, rate >= 0, (1...10_000).contains(batchTimeout) else {
                throw ValidationError("--transactions, --clients and --window must be positive, --rate not negative, --batch-timeout 1 to 10000 ms")
            }
            guard ["full", "normal"].contains(durability) else { throw ValidationError("--durability is full or normal") }
        }

        func run() async throws {
            // Measured before and after the load: a shared host's speed drifts, and the mean of
            // the two is what the load ran beside.
            let boundBefore = CryptoBound.measure()
            let performedBefore = CryptoBound.measure(verifies: 2)
            let result = try await LedgerBenchmark(
                transactions: transactions, clients: clients, mode: mode, window: window, rate: rate,
                durability: durability == "full" ? .full : .normal, batchTimeoutMillis: batchTimeout
            ).run()
            let boundAfter = CryptoBound.measure()
            let performedAfter = CryptoBound.measure(verifies: 2)
            let report = result.report(
                cryptoBound: (before: boundBefore, after: boundAfter), performedBound: (performedBefore + performedAfter) / 2)
            if json {
                let data = try JSONSerialization.data(withJSONObject: report.fields, options: [.sortedKeys, .prettyPrinted])
                print(String(decoding: data, as: UTF8.self))
            } else {
                print(report.text)
            }
            if result.valid != transactions { throw ExitCode(1) }
        }
    }
}
