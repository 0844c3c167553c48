internal import Crypto
internal import Foundation
internal import GRPCCore
internal import GRPCNIOTransportHTTP2
internal import Identity
internal import CertificateAuthority
internal import LedgerCore
internal import LedgerStore
internal import Logging
internal import MedLedgerKit
internal import Schema
internal import Server
internal import SwiftASN1
internal import X509

/// One load run against an in-process node: set-up, load, tear-down, and what was measured.
struct LedgerBenchmark {
    let transactions: Int
    let clients: Int
    let mode: BenchCommand.Ledger.Mode
    let window: Int
    let rate: Int
    let durability: Durability
    /// The channel's block cutter timeout, in milliseconds.
    let batchTimeoutMillis: Int

    struct Result {
        var valid: Int
        var invalid: Int
        var rejected: Int
        var firstRejection: String?
        var seconds: Double
        var blocks: UInt64
        var p50: Double
        var p99: Double
        var settings: String
        /// CPU time (user + system, every thread of the process) spent during the load.
        var cpuSeconds: Double

        func report(cryptoBound measured: (before: Double, after: Double), performedBound: Double) -> (text: String, fields: [String: Any]) {
            let rate = Double(valid) / seconds
            let cryptoBound = (measured.before + measured.after) / 2
            let ratio = rate / cryptoBound
            let cores = Double(ProcessInfo.processInfo.activeProcessorCount)
            let cpuPerTransaction = 1e6 * cpuSeconds / Double(max(valid, 1))
            let cryptoPerTransaction = 1e6 * cores / cryptoBound
            let busy = cpuSeconds / (seconds * cores)
            let text = """
                \(settings)
                committed: \(valid) valid, \(invalid) invalid, \(rejected) rejected in \(String(format: "%.2f", seconds)) s over \(blocks) blocks\
                \(firstRejection.map { " (first rejection: \($0))" } ?? "")
                throughput: \(String(format: "%.0f", rate)) committed tx/s
                submit→commit latency: p50 \(String(format: "%.1f", p50)) ms, p99 \(String(format: "%.1f", p99)) ms
                crypto bound (3 P-256 signs + 3 verifies per tx on \(ProcessInfo.processInfo.activeProcessorCount) cores): \(String(format: "%.0f", cryptoBound)) tx/s \
                (mean of \(String(format: "%.0f", measured.before)) before and \(String(format: "%.0f", measured.after)) after the load)
                ratio to the crypto bound: \(String(format: "%.2f", ratio))×
                CPU per committed transaction: \(String(format: "%.0f", cpuPerTransaction)) µs \
                (the bound's signature work: \(String(format: "%.0f", cryptoPerTransaction)) µs; cores busy \(String(format: "%.0f", 100 * busy))%)
                bound of the signature work this node does (3 signs + 2 verifies: it trusts its own endorsements): \(String(format: "%.0f", performedBound)) tx/s, ratio \(String(format: "%.2f", rate / performedBound))×
                """
            let fields: [String: Any] = [
                "valid": valid, "invalid": invalid, "rejected": rejected, "seconds": seconds, "blocks": blocks,
                "committed_tx_per_s": rate, "latency_p50_ms": p50, "latency_p99_ms": p99,
                "crypto_bound_tx_per_s": cryptoBound, "crypto_bound_before_tx_per_s": measured.before, "crypto_bound_after_tx_per_s": measured.after,
                "ratio_to_crypto_bound": ratio, "settings": settings,
                "cpu_us_per_tx": cpuPerTransaction, "crypto_us_per_tx": cryptoPerTransaction, "cores_busy": busy,
                "performed_crypto_bound_tx_per_s": performedBound, "ratio_to_performed_crypto_bound": rate / performedBound,
            ]
            return (text, fields)
        }
    }

    func run() async throws -> Result {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("medledger-bench-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        var logger = Logger(label: "medledger.bench")
        logger.logLevel = .warning
        let configuration = ServerConfiguration(dataDirectory: directory, port: 0)
        let node = try MedLedgerNode(configuration: configuration, mspID: "BenchHospitalAMSP", durability: durability, logger: logger)
        let partner = OrganizationCA(
            authority: try CertificateAuthority.create(mspID: "BenchHospitalBMSP", name: "BenchHospitalBMSP CA"),
            store: try RegistrationStore(path: nil))

        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await node.run() }
            defer { node.server.beginGracefulShutdown() }
            let address = try await node.server.listeningAddress
            var config = Medledger_V1_ChannelConfig()
            config.channelID = "bench"
            config.organizations = [try node.ca.channelOrganization(), try partner.channelOrganization()]
            config.defaultEndorsementPolicy = .anyOf([.signedBy(node.ca.mspID, role: .peer), .signedBy(partner.mspID, role: .peer)])
            config.adminPolicy = .anyOf([.signedBy(node.ca.mspID, role: .admin)])
            var batch = Medledger_V1_BatchParameters()
            batch.batchTimeoutMillis = UInt64(batchTimeoutMillis)
            config.batch = batch
            _ = try node.ledger.createChannel(config)

            var users: [(RequestSigner, Certificate)] = []
            for index in 0..<clients {
                let ca = index.isMultiple(of: 2) ? node.ca : partner
                users.append(try ca.enrollSigner(enrollmentID: "client\(index)", role: .client))
            }
            let recorder = LatencyRecorder()
            let start = ContinuousClock.now
            let cpuStart = ProcessCPU.seconds()
            try await withThrowingTaskGroup(of: Void.self) { load in
                for (index, user) in users.enumerated() {
                    let share = transactions / clients + (index < transactions % clients ? 1 : 0)
                    load.addTask {
                        try await withBenchClient(address: address, trusting: node.caCertificatePath, user: user) { client in
                            try await runClient(index: index, share: share, client: client, signer: user.0, recorder: recorder)
                        }
                    }
                }
                try await load.waitForAll()
            }
            let elapsed = ContinuousClock.now - start
            let cpuSeconds = ProcessCPU.seconds() - cpuStart
            let summary = recorder.summary()
            let blocks = try node.ledger.channelHeight("bench") - 1
            let settings = "mode \(mode.rawValue), \(clients) clients, window \(window)\(rate > 0 ? ", offered \(rate) tx/s" : ""), durability \(durability == .full ? "full" : "normal"), batch 500 tx / 2 MiB / \(batchTimeoutMillis) ms"
            return Result(
                valid: summary.valid, invalid: summary.invalid, rejected: summary.rejected, firstRejection: summary.firstRejection,
                seconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18,
                blocks: blocks, p50: summary.p50, p99: summary.p99, settings: settings, cpuSeconds: cpuSeconds)
        }
    }

    private func runClient(
        index: Int, share: Int, client: GRPCClient<HTTP2ClientTransport.Posix>, signer: RequestSigner, recorder: LatencyRecorder
    ) async throws {
        guard share > 0 else { return }
        let interval: Duration? = rate > 0 ? .nanoseconds(Int64(1e9 * Double(clients) / Double(rate))) : nil
        switch mode {
        case .stream:
            try await StreamLoad(
                gateway: Medledger_V1_Gateway.Client(wrapping: client), signer: signer, channel: "bench", count: share,
                window: window, interval: interval, keyPrefix: "c\(index)", recorder: recorder
            ).run()
        case .unary:
            let gateway = LedgerGateway(client: client, signer: signer, channel: "bench")
            try await withThrowingTaskGroup(of: Void.self) { calls in
                for worker in 0..<min(window, share) {
                    calls.addTask {
                        for sequence in stride(from: worker, to: share, by: window) {
                            let started = ContinuousClock.now
                            do {
                                let committed = try await gateway.submit("asset", "Put", ["c\(index)-\(sequence)", "value-\(sequence)"])
                                recorder.committed(valid: committed.status.result == .valid, latency: ContinuousClock.now - started)
                            } catch {
                                recorder.rejected("\(error)")
                            }
                        }
                    }
                }
                try await calls.waitForAll()
            }
        }
    }
}

/// Runs `body` with a client connected over mTLS as `user`.
func withBenchClient<Result: Sendable>(
    address: ListeningAddress, trusting caPath: String, user: (RequestSigner, Certificate),
    _ body: (GRPCClient<HTTP2ClientTransport.Posix>) async throws -> Result
) async throws -> Result {
    let certificatePEM = try user.1.serializeAsPEM().pemString
    let keyPEM = user.0.key.pemRepresentation
    let transport = try HTTP2ClientTransport.Posix(
        target: .ipv4(address: address.host, port: address.port),
        transportSecurity: .tls { tls in
            tls.trustRoots = .certificates([.file(path: caPath, format: .pem)])
            tls.certificateChain = [.bytes(Array(certificatePEM.utf8), format: .pem)]
            tls.privateKey = .bytes(Array(keyPEM.utf8), format: .pem)
        }
    )
    return try await withGRPCClient(transport: transport) { client in try await body(client) }
}
