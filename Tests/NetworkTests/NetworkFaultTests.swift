import Foundation
import GRPCCore
import LocalNetwork
import MedLedgerKit
import MedLedgerTesting
import Schema
import Testing

#if canImport(Glibc)
import Glibc
#endif

extension MultiNodeNetwork {
    /// The faults of the ordering cluster and of nodes, with real processes: what keeps working, what
    /// fails and how, and that nothing acknowledged is lost and no chain forks.
    @Suite("Network faults", .serialized, .timeLimit(.minutes(8)))
    struct NetworkFaultTests {
        @Test func orderingGoesOnWhenOneEtcdMemberIsKilledAndItRejoins() async throws {
            try await withNetwork { network in
                let load = LoadGenerator(network: network)
                try await Task.sleep(for: .seconds(2))
                let cluster = try network.etcd
                let member = cluster.members[0]
                let killedAt = ContinuousClock.now
                #expect(cluster.process(member).send(SIGKILL))
                let next = try? await eventually(timeout: .seconds(15)) {
                    guard let next = load.record.firstAcknowledgement(after: killedAt) else { throw OrderingTestError.notYet }
                    return next
                }
                #expect(next != nil, "nothing committed after an etcd member was killed")
                try cluster.process(member).start()
                try await cluster.waitUntilReady(timeout: .seconds(180))
                try await Task.sleep(for: .seconds(2))
                let record = await load.stop()
                print("etcd member killed: next commit after \(next.map { $0 - killedAt } ?? .zero); \(record.acknowledged.count) acknowledged, \(record.failures.count) failed")
                #expect(record.failures.isEmpty, "\(record.failures.prefix(5))")
                try await network.expectConsistentAfterDown(acknowledged: record.acknowledged.map(\.txID))
            }
        }

        @Test func withoutAnEtcdQuorumSubmissionsFailWithUnavailableReadsWorkAndOrderingResumesWhenItIsBack() async throws {
            try await withNetwork { network in
                let before = try await network.withGateway("dr-alice", at: "HospitalA") { try await $0.submit("asset", "Put", ["before", "1"]) }
                #expect(before.status.result == .valid)
                let cluster = try network.etcd
                for member in cluster.members.prefix(2) { #expect(cluster.process(member).send(SIGKILL)) }
                let started = ContinuousClock.now
                let refused = await #expect(throws: RPCError.self) {
                    try await network.withGateway("dr-bob", at: "HospitalB") { try await $0.submit("asset", "Put", ["during", "2"]) }
                }
                let waited = ContinuousClock.now - started
                #expect(refused?.code == .unavailable)
                #expect(refused?.message.contains("orderer") == true, "\(refused?.message ?? "")")
                #expect(waited < .seconds(10), "the refusal took \(waited)")
                #expect(refused?.message.contains("quorum") == true, "\(refused?.message ?? "")")
                print("no etcd quorum: submission refused after \(waited): \(refused?.message.prefix(300) ?? "")")
                // Reads at the peers do not need the ordering service.
                let read = try await network.withGateway("dr-bob", at: "HospitalB") { try await $0.evaluate("asset", "Get", ["before"]) }
                #expect(String(decoding: read.payload, as: UTF8.self) == "1")
                // Back: ordering resumes without restarting any MedLedger process.
                for member in cluster.members.prefix(2) { try cluster.process(member).start() }
                try await cluster.waitUntilReady(timeout: .seconds(60))
                let after = try await eventually(timeout: .seconds(30)) {
                    try await network.withGateway("dr-alice", at: "HospitalA") { try await $0.submit("asset", "Put", ["after", "3"]) }
                }
                #expect(after.status.result == .valid)
                try await network.expectConsistentAfterDown(acknowledged: [before.txID, after.txID])
            }
        }

        @Test func aLeaderStoppedPastItsLeaseWritesNothingWhenItResumesAndFollows() async throws {
            try await withNetwork { network in
                let load = LoadGenerator(network: network)
                try await Task.sleep(for: .seconds(2))
                let leader = try #require(try await network.leaderAddress())
                let paused = try #require(network.plan.organizations.compactMap(\.orderer).first { $0.address == leader })
                #expect(network.process(paused).send(SIGSTOP))
                // Past the 3 s lease: another orderer leads.
                let replaced = try await eventually(timeout: .seconds(10)) {
                    guard let now = try await network.leaderAddress(), now != leader else { throw OrderingTestError.stillLeading }
                    return now
                }
                try await Task.sleep(for: .seconds(2))
                #expect(network.process(paused).send(SIGCONT))
                try await Task.sleep(for: .seconds(4))
                let record = await load.stop()
                #expect(try await network.leaderAddress() == replaced)
                let log = (try? String(contentsOf: network.process(paused).logFile, encoding: .utf8)) ?? ""
                #expect(log.contains("leadership ended"), "the resumed orderer did not step down")
                print("leader paused past its lease: \(replaced) took over; \(record.acknowledged.count) acknowledged, \(record.failures.count) failed")
                // The resumed orderer follows the new leader: same chain everywhere, itself included.
                try await network.expectConsistentAfterDown(acknowledged: record.acknowledged.map(\.txID))
            }
        }

        @Test func aStoppedPeerCatchesUpOnRestartAndALateJoinerFromBlockZero() async throws {
            try await withNetwork { network in
                let pharma = network.organization("PharmaCo").peer
                #expect(network.process(pharma).send(SIGKILL))
                var acknowledged: [String] = []
                try await network.withGateway("dr-alice", at: "HospitalA") { gateway in
                    for index in 0..<40 {
                        acknowledged.append(try await gateway.submit("asset", "Put", ["while-down-\(index)", "v"]).txID)
                    }
                }
                // `network up` starts what is not running and joins what has not joined.
                try await network.command(["up"])
                let caughtUp = try await eventually(timeout: .seconds(30)) {
                    try await network.withGateway("researcher", at: "PharmaCo") { gateway in
                        let value = try await gateway.evaluate("asset", "Get", ["while-down-39"])
                        guard !value.payload.isEmpty else { throw OrderingTestError.notYet }
                        return String(decoding: value.payload, as: UTF8.self)
                    }
                }
                #expect(caughtUp == "v")
                // A late joiner: the Regulator's peer loses its copy of ehr and joins again from block 0.
                try await network.rejoinRegulatorPeerFromBlock0(untilItReads: "while-down-39")
                try await network.expectConsistentAfterDown(acknowledged: acknowledged)
            }
        }
    }
}

extension MultiNodeNetwork.NetworkFaultTests {
    @Test func killingEveryProcessAtRandomMomentsTenTimesLosesNothingAcknowledged() async throws {
        try await withNetwork { network in
            let seed = UInt64(ProcessInfo.processInfo.environment["MEDLEDGER_FAULT_SEED"] ?? "") ?? UInt64.random(in: 1...UInt64.max)
            var random = SplitMix64(seed: seed)
            var acknowledged: [String] = []
            let cluster = try network.etcd
            for round in 0..<10 {
                // Restarted, the network orders again once the old leader's lease has expired.
                let ready = ContinuousClock.now
                let probe = try await eventually(timeout: .seconds(30)) {
                    try await network.withGateway("dr-alice", at: "HospitalA") { try await $0.submit("asset", "Put", ["probe-\(round)", "v"]) }
                }
                acknowledged.append(probe.txID)
                let recovery = ContinuousClock.now - ready
                let load = LoadGenerator(network: network)
                try await Task.sleep(for: .milliseconds(Int.random(in: 300...1_500, using: &random)))
                for node in network.plan.nodes { network.process(node).send(SIGKILL) }
                for member in cluster.members { cluster.process(member).send(SIGKILL) }
                let record = await load.stop()
                acknowledged += record.acknowledged.map(\.txID)
                print("round \(round + 1) (seed \(seed)): first commit \(recovery) after restart; \(record.acknowledged.count) acknowledged before every process was killed")
                try await network.command(["up"])
            }
            #expect(acknowledged.count > 50, "only \(acknowledged.count) transactions were acknowledged in 10 rounds")
            try await network.expectConsistentAfterDown(acknowledged: acknowledged)
        }
    }
}

extension MultiNodeNetwork.NetworkFaultTests {
    @Test func anOrdererBehindEtcdsWindowCatchesUpFromAnotherOrderer() async throws {
        try await withNetwork(options: ["--etcd-window", "4"]) { network in
            let behind = network.organization("HospitalB").orderer!
            await network.process(behind).stop()
            var acknowledged: [String] = []
            try await network.withGateway("dr-alice", at: "HospitalA") { gateway in
                for index in 0..<12 { acknowledged.append(try await gateway.submit("asset", "Put", ["window-\(index)", "v"]).txID) }
            }
            // Restarted, it finds blocks missing from etcd's window of 4 and takes them from another orderer.
            try await network.command(["up"])
            try await Task.sleep(for: .seconds(3))
            let log = (try? String(contentsOf: network.process(behind).logFile, encoding: .utf8)) ?? ""
            #expect(log.contains("caught up from another orderer"), "\(log.suffix(2_000))")
            try await network.expectConsistentAfterDown(acknowledged: acknowledged)
        }
    }
}

enum OrderingTestError: Error {
    case stillLeading, notYet
}
