import Foundation
import LedgerCore
import LocalNetwork
import Logging
import MedLedgerTesting
import Ordering
import Schema
import Testing
import Wire

extension MultiNodeNetwork {
    /// Orderers ordering through a real 3-member etcd cluster (mTLS, child processes): one leader at a
    /// time, fenced appends, every orderer's chain identical, failover when the leader goes away.
    @Suite("Ordering through etcd", .serialized, .timeLimit(.minutes(5)))
    struct EtcdOrderingTests {
        let fixture = try! OrderingFixture()

        /// Three orderers of one channel, each with its own block store and etcd connection; `body`
        /// gets them once one leads. Orderer `index` runs until `stop(index)` or the end.
        func withOrderers(
            _ cluster: LocalEtcdCluster, _ directory: TemporaryDirectory, settings: EtcdChannelOrderer.Settings = .init(),
            _ body: @Sendable ([EtcdChannelOrderer], _ stop: @Sendable (Int) -> Void) async throws -> Void
        ) async throws {
            let configurations = try (0..<3).map { try etcdConfiguration(cluster, name: "orderer\($0)") }
            let fixture = fixture
            var orderers: [EtcdChannelOrderer] = []
            var tasks: [Task<Void, any Error>] = []
            for index in 0..<3 {
                let (stream, continuation) = AsyncStream<EtcdChannelOrderer>.makeStream()
                let chainDirectory = directory.url.appendingPathComponent("orderer\(index)")
                tasks.append(Task {
                    defer { continuation.finish() }
                    try await EtcdConnection.with(configurations[index]) { etcd in
                        let chain = try OrdererChain(directory: chainDirectory, genesis: fixture.genesis)
                        let orderer = EtcdChannelOrderer(
                            chain: chain, etcd: etcd, signer: fixture.orderers[index], address: "orderer\(index)", settings: settings,
                            logger: Logger(label: "orderer\(index)"))
                        continuation.yield(orderer)
                        continuation.finish()
                        try await orderer.run()
                    }
                })
                for await orderer in stream { orderers.append(orderer) }
            }
            #expect(orderers.count == 3)
            let running = tasks
            defer { for task in running { task.cancel() } }
            try await body(orderers) { index in running[index].cancel() }
            for task in running { task.cancel() }
            for task in running { _ = await task.result }
        }

        @Test func oneLeaderOrdersAndEveryOrdererHoldsTheSameChain() async throws {
            try await withEtcdCluster { cluster, directory in
                try await withOrderers(cluster, directory) { orderers, _ in
                    let leader = try await waitForLeader(orderers)
                    // A follower refuses, naming the leader.
                    let follower = orderers.first { $0 !== leader }!
                    await #expect(throws: OrderingError.notLeader(channel: "ehr", leader: leaderAddress(leader, in: orderers))) {
                        try await follower.submit(try fixture.envelope("refused"))
                    }
                    let envelopes = try (0..<50).map { try fixture.envelope("tx\($0)") }
                    let numbers = try await withThrowingTaskGroup(of: UInt64.self) { group in
                        for envelope in envelopes {
                            group.addTask { try await submitToLeader(orderers, envelope) }
                        }
                        return try await group.reduce(into: [UInt64]()) { $0.append($1) }
                    }
                    #expect(numbers.count == 50)
                    let top = numbers.max()!
                    for orderer in orderers { await orderer.chain.waitForHeight(above: top) }
                    try expectIdenticalChains(orderers, through: top)
                    // Every transaction is ordered. One a leader wrote just before it lost its lease
                    // was submitted again and is ordered twice: peers mark the copy DUPLICATE_TXID.
                    var ordered: [Data] = []
                    for number in 1...top {
                        ordered += try Medledger_V1_Block(serializedData: try orderers[0].chain.blockBytes(number)!).data?.data ?? []
                    }
                    #expect(Set(ordered) == Set(envelopes))
                }
            }
        }

        @Test func whenTheLeaderStopsAnotherOrdererLeadsWithinTheLease() async throws {
            try await withEtcdCluster { cluster, directory in
                try await withOrderers(cluster, directory) { orderers, stop in
                    let first = try await waitForLeader(orderers)
                    let firstIndex = orderers.firstIndex { $0 === first }!
                    let before = try await first.submit(try fixture.envelope("before"))
                    let stoppedAt = ContinuousClock.now
                    stop(firstIndex)
                    let survivors = orderers.enumerated().filter { $0.offset != firstIndex }.map(\.element)
                    let second = try await waitForLeader(survivors, timeout: .seconds(10))
                    let failover = ContinuousClock.now - stoppedAt
                    #expect(failover < .seconds(5), "failover took \(failover)")
                    let after = try await second.submit(try fixture.envelope("after"))
                    #expect(after > before)
                    for orderer in survivors { await orderer.chain.waitForHeight(above: after) }
                    try expectIdenticalChains(survivors, through: after)
                    print("failover: a new leader ordered \(failover) after the old one stopped")
                }
            }
        }

        /// Submits to whichever orderer leads, again after a leader change, as a peer does.
        func submitToLeader(_ orderers: [EtcdChannelOrderer], _ envelope: Data) async throws -> UInt64 {
            try await eventually(timeout: .seconds(30)) {
                try await waitForLeader(orderers).submit(envelope)
            }
        }

        @Test func etcdKeepsAWindowOfBlocksAndItsFilesShrinkBackAfterCompaction() async throws {
            try await withEtcdCluster { cluster, directory in
                try await withOrderers(cluster, directory, settings: .init(window: 4)) { orderers, _ in
                    // 40 blocks of about 100 KiB, one after another: 4 MiB written, at most 4 blocks kept.
                    var top: UInt64 = 0
                    for index in 0..<40 {
                        top = try await submitToLeader(orderers, try fixture.envelope(String(repeating: "\(index % 10)", count: 100_000)))
                    }
                    for orderer in orderers { await orderer.chain.waitForHeight(above: top) }
                    try expectIdenticalChains(orderers, through: top)
                    // The leader defragments after it answers the block's submitter: wait for it.
                    let observer = try etcdConfiguration(cluster, name: "observer")
                    let (kept, sizes) = try await eventually(timeout: .seconds(20)) {
                        try await EtcdConnection.with(observer) { etcd in
                            let keys = EtcdChannelOrderer.Keys(channelID: "ehr")
                            let kept = try await etcd.range(from: keys.blocks, to: etcdPrefixEnd(keys.blocks)).values.count
                            let sizes = try await etcd.memberStatuses().map { ($0.endpoint, try $0.status.get()) }
                            // Compaction alone leaves the file at about 1.6-1.8 MB here, 0.6-0.8 MB of it free pages.
                            guard sizes.allSatisfy({ $0.1.dbSize < 1_000_000 && $0.1.dbSize - $0.1.dbSizeInUse < 200_000 }) else {
                                throw OrderingTestError.notYet
                            }
                            return (kept, sizes)
                        }
                    }
                    #expect(kept <= 5, "etcd holds \(kept) blocks")
                    for (endpoint, status) in sizes {
                        print("etcd member \(endpoint): database \(status.dbSize) bytes (\(status.dbSize - status.dbSizeInUse) free) after 40 blocks of 100 KiB")
                    }
                }
            }
        }

        func waitForLeader(_ orderers: [EtcdChannelOrderer], timeout: Duration = .seconds(20)) async throws -> EtcdChannelOrderer {
            let deadline = ContinuousClock.now + timeout
            while ContinuousClock.now < deadline {
                let leaders = orderers.filter(\.isLeader)
                #expect(leaders.count <= 1)
                if let leader = leaders.first { return leader }
                try await Task.sleep(for: .milliseconds(50))
            }
            throw OrderingError.unavailable("no orderer leads after \(timeout)")
        }

        func leaderAddress(_ leader: EtcdChannelOrderer, in orderers: [EtcdChannelOrderer]) -> String {
            "orderer\(orderers.firstIndex { $0 === leader }!)"
        }

        func expectIdenticalChains(_ orderers: [EtcdChannelOrderer], through top: UInt64) throws {
            for number in 0...top {
                let reference = try orderers[0].chain.blockBytes(number)
                #expect(reference != nil)
                for orderer in orderers.dropFirst() {
                    #expect(try orderer.chain.blockBytes(number) == reference, "block \(number) differs")
                }
            }
        }
    }
}
