import Foundation
import LedgerStore
import LocalNetwork
import MedLedgerKit
import MedLedgerTesting
import Schema
import Synchronization
import Testing

#if canImport(Glibc)
import Glibc
#endif

extension MultiNodeNetwork {
    /// The multi-node network of `medledger network up`: each organisation's clients call their own
    /// organisation's peer; blocks are ordered through etcd by three orderers; every node keeps and
    /// verifies its own copy.
    @Suite("The multi-node network over real processes", .serialized, .timeLimit(.minutes(6)))
    struct NetworkTests {
        @Test func anAssetWrittenThroughHospitalAIsReadThroughHospitalBAndEveryNodeHoldsTheSameChain() async throws {
            try await withNetwork { network in
                let committed = try await network.withGateway("dr-alice", at: "HospitalA") { gateway in
                    try await gateway.submit("asset", "Put", ["scan-7", "stored at HospitalA"])
                }
                #expect(committed.status.result == .valid)
                let read = try await eventually {
                    try await network.withGateway("dr-bob", at: "HospitalB") { gateway in
                        String(decoding: try await gateway.evaluate("asset", "Get", ["scan-7"]).payload, as: UTF8.self)
                    }
                }
                #expect(read == "stored at HospitalA")
                try await network.command(["down"])
                let outputs = try await network.verifyEveryNode()
                let tips = Set(outputs.values.map { RunningNetwork.tip(of: "ehr", in: $0) })
                #expect(tips.count == 1, "ehr tips differ: \(outputs)")
                #expect(outputs.values.allSatisfy { $0.contains("channel ehr: 2 ") }, "\(outputs)")
            }
        }

        @Test func killingTheLeadingOrdererUnderLoadLosesNoAcknowledgedTransaction() async throws {
            try await withNetwork { network in
                let load = LoadGenerator(network: network)
                try await Task.sleep(for: .seconds(3))
                let leader = try #require(try await network.leaderAddress())
                let victim = try #require(network.plan.organizations.compactMap(\.orderer).first { $0.address == leader })
                let killedAt = ContinuousClock.now
                #expect(network.process(victim).send(SIGKILL))
                try await Task.sleep(for: .seconds(8))
                let record = await load.stop()

                let acks = record.acknowledged
                let afterKill = acks.filter { $0.at > killedAt }
                #expect(acks.count > 20, "only \(acks.count) transactions committed")
                #expect(!afterKill.isEmpty, "nothing committed after the leader was killed")
                let firstAfter = afterKill.map(\.at).min() ?? killedAt
                let gap = firstAfter - killedAt
                #expect(gap < .seconds(5), "commits stopped for \(gap) after the leader was killed")
                print("leader failover: \(victim.name) killed; next commit after \(gap); \(acks.count) transactions acknowledged")
                let newLeader = try await network.leaderAddress()
                #expect(newLeader != nil && newLeader != leader)
                // Unexpected errors other than a transient refusal while the leader changes.
                let unexpected = record.failures
                #expect(unexpected.count <= 6, "\(unexpected.prefix(6))")

                try await network.expectConsistentAfterDown(acknowledged: acks.map(\.txID), except: [victim.name])
            }
        }
    }
}

extension RunningNetwork {
    /// Brings the network down, then checks every node's data directory: `ledger verify` passes,
    /// every node (but those in `except`, stopped early) ends channel ehr on the same tip, and
    /// every peer holds every acknowledged transaction.
    func expectConsistentAfterDown(acknowledged: [String], except: Set<String> = []) async throws {
        try await command(["down"])
        let outputs = try await verifyEveryNode(except: except)
        let tips = Set(outputs.values.map { RunningNetwork.tip(of: "ehr", in: $0) })
        #expect(tips.count == 1, "ehr tips differ: \(outputs)")
        for node in plan.organizations.map(\.peer) {
            let store = try LedgerStore(directory: nodeDirectory(node).appendingPathComponent("ledger/ehr"), durability: .normal)
            let missing = try acknowledged.filter { try store.transaction($0) == nil }
            #expect(missing.isEmpty, "\(node.name) lacks \(missing.count) of \(acknowledged.count) acknowledged transactions")
        }
    }
}

/// Clients of HospitalA and HospitalB submitting transactions through their own peers, three
/// each, one after another, until stopped; it records what was acknowledged (committed VALID)
/// and when, and what failed.
struct LoadGenerator {
    let record = LoadRecord()
    private let task: Task<Void, Never>

    init(network: RunningNetwork) {
        let record = record
        task = Task {
            await withTaskGroup(of: Void.self) { group in
                for (index, (user, organization)) in [("dr-alice", "HospitalA"), ("dr-bob", "HospitalB")].enumerated() {
                    for worker in 0..<3 {
                        group.addTask {
                            do {
                                try await network.withGateway(user, at: organization) { gateway in
                                    var sequence = 0
                                    while !record.stopped {
                                        sequence += 1
                                        let key = "load-\(index)-\(worker)-\(sequence)"
                                        do {
                                            let committed = try await gateway.submit("asset", "Put", [key, "v"])
                                            if committed.status.result == .valid { record.acknowledge(committed.txID) }
                                        } catch {
                                            record.fail("\(key): \(error)")
                                            // A peer that is down refuses at once: do not spin.
                                            try? await Task.sleep(for: .milliseconds(100))
                                        }
                                    }
                                }
                            } catch {
                                record.fail("\(user): \(error)")
                            }
                        }
                    }
                }
            }
        }
    }

    /// Stops the clients and returns what they saw.
    func stop() async -> LoadRecord {
        record.stop()
        await task.value
        return record
    }
}

/// What a load generator saw: acknowledged transactions with their time, and failures.
final class LoadRecord: Sendable {
    private let state = Mutex<(acknowledged: [(txID: String, at: ContinuousClock.Instant)], failures: [String], stopped: Bool)>(([], [], false))

    var stopped: Bool { state.withLock { $0.stopped } }
    var acknowledged: [(txID: String, at: ContinuousClock.Instant)] { state.withLock { $0.acknowledged } }
    var failures: [String] { state.withLock { $0.failures } }

    func acknowledge(_ txID: String) { state.withLock { $0.acknowledged.append((txID, .now)) } }
    func fail(_ reason: String) { state.withLock { $0.failures.append(reason) } }
    func stop() { state.withLock { $0.stopped = true } }

    /// The first acknowledgement after `instant`, if any.
    func firstAcknowledgement(after instant: ContinuousClock.Instant) -> ContinuousClock.Instant? {
        acknowledged.map(\.at).filter { $0 > instant }.min()
    }
}

/// Retries `body` for up to `timeout` until it returns without throwing.
func eventually<T: Sendable>(timeout: Duration = .seconds(10), _ body: () async throws -> T) async throws -> T {
    let deadline = ContinuousClock.now + timeout
    while true {
        do {
            return try await body()
        } catch where ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(100))
        }
    }
}
