internal import Foundation
internal import GRPCCore
internal import GRPCNIOTransportHTTP2
internal import Identity
internal import LocalNetwork
internal import Schema
internal import Server
internal import Synchronization
internal import X509

/// A load run against the multi-node network of `medledger network up` (started in a temporary
/// directory, real processes): clients of HospitalA and HospitalB submit through their own peers;
/// throughput is what the slowest of the four peers has committed, and every peer's arrival time
/// of every block is recorded to show how far apart the peers commit.
struct NetworkBenchmark {
    let transactions: Int
    let clients: Int
    let window: Int
    let rate: Int

    struct Result {
        var valid: Int
        var invalid: Int
        var rejected: Int
        var firstRejection: String?
        /// Load start to the moment the slowest peer held every block.
        var secondsToSlowestPeer: Double
        var blocks: Int
        /// Submit→commit latency at the submitting peer.
        var p50: Double
        var p99: Double
        /// Per block: the latest peer's arrival minus the earliest's, in milliseconds.
        var spreadP50: Double
        var spreadP99: Double
    }

    func run() async throws -> Result {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("medledger-bench-network-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let network = LocalNetworkProcesses(directory: directory, logLevel: "warning")
        let plan = try network.planOrCreate()
        try await network.start(plan)
        do {
            try await network.joinChannels(plan)
            let result = try await load(network: network, plan: plan)
            await network.stop(plan)
            return result
        } catch {
            await network.stop(plan)
            throw error
        }
    }

    private func load(network: LocalNetworkProcesses, plan: NetworkPlan) async throws -> Result {
        let arrivals = BlockArrivals()
        let watchers = Task {
            await withTaskGroup(of: Void.self) { group in
                for organization in plan.organizations {
                    group.addTask { await arrivals.follow(organization, network: network) }
                }
            }
        }
        defer { watchers.cancel() }
        try await Task.sleep(for: .milliseconds(500))
        let users = [("dr-alice", "HospitalA"), ("dr-bob", "HospitalB")]
        let recorder = LatencyRecorder()
        let interval: Duration? = rate > 0 ? .nanoseconds(Int64(1e9 * Double(clients) / Double(rate))) : nil
        let start = ContinuousClock.now
        try await withThrowingTaskGroup(of: Void.self) { load in
            for index in 0..<clients {
                let (user, organization) = users[index % users.count]
                let folder = IdentityFolder(directory: network.layout.identityDirectory(user))
                let peer = plan.organizations.first { $0.name == organization }!.peer
                let share = transactions / clients + (index < transactions % clients ? 1 : 0)
                let identity = (try folder.loadSigner(), try folder.loadCertificate())
                load.addTask {
                    try await withBenchClient(address: ListeningAddress(host: "127.0.0.1", port: peer.port), trusting: folder.caPath, user: identity) { client in
                        try await StreamLoad(
                            gateway: Medledger_V1_Gateway.Client(wrapping: client), signer: identity.0, channel: "ehr", count: share,
                            window: window, interval: interval, keyPrefix: "n\(index)", recorder: recorder
                        ).run()
                    }
                }
            }
            try await load.waitForAll()
        }
        // Wait until every peer holds the newest block any peer holds.
        let (finishedAt, blocks, spreads) = await arrivals.waitUntilEveryPeerCaughtUp(peers: plan.organizations.count)
        let summary = recorder.summary()
        let elapsed = finishedAt - start
        let sortedSpreads = spreads.sorted()
        return Result(
            valid: summary.valid, invalid: summary.invalid, rejected: summary.rejected, firstRejection: summary.firstRejection,
            secondsToSlowestPeer: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18, blocks: blocks,
            p50: summary.p50, p99: summary.p99, spreadP50: sortedSpreads.percentile(0.5), spreadP99: sortedSpreads.percentile(0.99))
    }
}

/// When each peer received each block of channel ehr (Deliver, filtered, from the next commit on).
final class BlockArrivals: Sendable {
    private let state = Mutex<[String: [UInt64: ContinuousClock.Instant]]>([:])

    func follow(_ organization: NetworkPlan.Organization, network: LocalNetworkProcesses) async {
        var request = Medledger_V1_DeliverRequest()
        request.channelID = "ehr"
        var start = Medledger_V1_SeekPosition()
        start.position = .nextCommit(.init())
        request.start = start
        request.filtered = true
        try? await network.withAdmin(organization.peer, admin: organization.admin) { client in
            try await Medledger_V1_Deliver.Client(wrapping: client).blocks(request) { response in
                for try await message in response.messages {
                    guard let block = message.filteredBlock else { continue }
                    let now = ContinuousClock.now
                    self.state.withLock { $0[organization.name, default: [:]][block.number] = now }
                }
            }
        }
    }

    /// Waits until `peers` peers hold the same newest block; returns when the last of them got it,
    /// how many blocks arrived, and each block's spread across peers in milliseconds.
    func waitUntilEveryPeerCaughtUp(peers: Int) async -> (ContinuousClock.Instant, Int, [Double]) {
        while true {
            let snapshot = state.withLock { $0 }
            let newest = snapshot.values.compactMap { $0.keys.max() }
            if snapshot.count == peers, let top = newest.max(), newest.allSatisfy({ $0 == top }) {
                let last = snapshot.values.compactMap { $0[top] }.max()!
                let numbers = Set(snapshot.values.flatMap(\.keys))
                let spreads = numbers.compactMap { number -> Double? in
                    let times = snapshot.values.compactMap { $0[number] }
                    guard times.count == peers, let first = times.min(), let latest = times.max() else { return nil }
                    let spread = latest - first
                    return (Double(spread.components.seconds) + Double(spread.components.attoseconds) / 1e18) * 1000
                }
                return (last, numbers.count, spreads)
            }
            try? await Task.sleep(for: .milliseconds(20))
        }
    }
}
