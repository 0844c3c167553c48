internal import ArgumentParser
internal import Foundation
internal import LedgerStore

/// `medledger bench …`: load generators that report ratios against a peer measured in the same run.
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure the node under load.",
        subcommands: [Ledger.self, Network.self, Content.self, Soak.self]
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

    /// `medledger bench network`: committed transactions per second at the slowest peer of the
    /// multi-node network, beside the network's signature bound.
    struct Network: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Load the multi-node network (etcd ×3, orderers ×3, four peers) and measure it at the slowest peer.",
            discussion: """
                Starts `medledger network up` in a temporary directory (real processes on loopback), then runs                 CLIENTS clients alternating between HospitalA's and HospitalB's peers, each over its own mTLS                 connection and SubmitStream (asset Put on channel ehr, endorsed by the submitter's peer). Every                 transaction is ordered through etcd and validated by each of the four peers. Reports committed tx/s                 at the slowest peer, submit→commit latency at the submitting peer, how far apart the peers commit                 each block, and the network's crypto bound in the same run: the rate at which this machine's cores                 do one transaction's signature work across the whole network — 3 P-256 signatures (proposal,                 endorsement, envelope) and 11 verifications (proposal at endorsement, envelope at the gateway and at                 the leading orderer, creator and endorsement at each of 4 peers).
                """
        )

        @Option(help: "Transactions in total.") var transactions = 20_000
        @Option(help: "Concurrent clients.") var clients = 8
        @Option(help: "Transactions in flight per client.") var window = 64
        @Option(help: "Offered load in tx/s (0: as fast as the windows allow).") var rate = 0

        func validate() throws {
            guard transactions > 0, clients > 0, window > 0, rate >= 0 else {
                throw ValidationError("--transactions, --clients and --window must be positive, --rate not negative")
            }
        }

        func run() async throws {
            let before = CryptoBound.measure(signs: 3, verifies: 11)
            let result = try await NetworkBenchmark(transactions: transactions, clients: clients, window: window, rate: rate).run()
            let after = CryptoBound.measure(signs: 3, verifies: 11)
            let bound = (before + after) / 2
            let throughput = Double(result.valid) / result.secondsToSlowestPeer
            print("""
                network: etcd ×3, orderers ×3, 4 peers; \(clients) clients, window \(window)\(rate > 0 ? ", offered \(rate) tx/s" : ""); batch 500 tx / 512 KiB / 50 ms
                committed: \(result.valid) valid, \(result.invalid) invalid, \(result.rejected) rejected over \(result.blocks) blocks\
                \(result.firstRejection.map { " (first rejection: \($0))" } ?? "")
                throughput at the slowest peer: \(String(format: "%.0f", throughput)) tx/s (\(String(format: "%.2f", result.secondsToSlowestPeer)) s)
                etcd writes: \(String(format: "%.0f", Double(result.blocks) / result.secondsToSlowestPeer)) blocks/s
                submit→commit at the submitting peer: p50 \(String(format: "%.1f", result.p50)) ms, p99 \(String(format: "%.1f", result.p99)) ms
                spread of a block's commit across the 4 peers: p50 \(String(format: "%.1f", result.spreadP50)) ms, p99 \(String(format: "%.1f", result.spreadP99)) ms
                network crypto bound (3 signs + 11 verifies per tx on \(ProcessInfo.processInfo.activeProcessorCount) cores): \(String(format: "%.0f", bound)) tx/s \
                (\(String(format: "%.0f", before)) before, \(String(format: "%.0f", after)) after)
                ratio to the bound: \(String(format: "%.2f", throughput / bound))×
                """)
            if result.valid != transactions { throw ExitCode(1) }
        }
    }
}
