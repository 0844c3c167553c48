import Foundation
import GRPCCore
import Identity
import MedLedgerKit
import MedLedgerTesting
import Schema
import Server
import Synchronization
import Testing

/// The crash test: `medledger serve` runs as a child process under load and is killed
/// with SIGKILL at random moments, then restarted on the same data directory. Every transaction
/// whose CommitStatus said VALID must still be in the ledger afterwards, and `ledger verify` must
/// accept the chain and find state equal to a replay of it. The last restart also finds
/// state.sqlite gone and must rebuild it from the blocks.
///
/// `MEDLEDGER_CRASH_ROUNDS` sets the number of kills (3 by default, for CI; the full run uses 20
/// or more); `MEDLEDGER_CRASH_SEED` replays a printed seed.
@Suite("Crash recovery")
struct CrashRecoveryTests {
    static let rounds = ProcessInfo.processInfo.environment["MEDLEDGER_CRASH_ROUNDS"].flatMap(Int.init) ?? 3
    static let channel = "crash"
    static let mspID = "CrashOrgMSP"
    /// Concurrent clients, each submitting one transaction after another.
    static let workers = 6

    /// A transaction whose CommitStatus said VALID.
    struct Acknowledged: Sendable {
        var key: String
        var value: String
        var txID: String
        var blockNumber: UInt64
    }

    /// What one client did until the node died under it.
    struct WorkerOutcome: Sendable {
        var acknowledged: [Acknowledged] = []
        var notValid = 0
        var error: String?
    }

    @Test(
        "every transaction acknowledged VALID survives repeated SIGKILLs, and the chain and state verify",
        .timeLimit(.minutes(3 + CrashRecoveryTests.rounds / 2))
    )
    func acknowledgedTransactionsSurviveKills() async throws {
        let seed = ProcessInfo.processInfo.environment["MEDLEDGER_CRASH_SEED"].flatMap { UInt64($0) } ?? UInt64.random(in: 0...UInt64.max)
        print("crash test: \(Self.rounds) rounds, seed \(seed) (MEDLEDGER_CRASH_SEED=\(seed) replays it)")
        var random = SplitMix64(seed: seed)
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let data = directory.url.appending(path: "data")
        let started = ContinuousClock.now

        var node = try await NodeProcess(dataDirectory: data, logs: directory.url, name: "start-0", mspID: Self.mspID)
        let admin = try TestUser(folder: node.admin)
        try await node.createChannel(Self.channel)

        var acknowledged: [Acknowledged] = []
        var replayingRestarts = 0
        for round in 1...Self.rounds {
            let delay = Duration.milliseconds(Int.random(in: 200...1500, using: &random))
            let progress = AcknowledgementCounter()
            let outcomes = await withTaskGroup(of: WorkerOutcome.self) { group in
                for worker in 0..<Self.workers {
                    group.addTask { [address = node.address, trust = node.caCertificatePath] in
                        await Self.submitUntilFailure(
                            address: address, trusting: trust, as: admin, keyPrefix: "r\(round)-w\(worker)", progress: progress)
                    }
                }
                // The random moment is counted from the round's first commit, so a slow (loaded)
                // machine still kills the node under load rather than before any work was done.
                await progress.waitForFirst(timeout: .seconds(60))
                try? await Task.sleep(for: delay)
                _ = await node.stop(SIGKILL)
                return await group.reduce(into: []) { $0.append($1) }
            }
            let acknowledgedNow = outcomes.flatMap(\.acknowledged)
            acknowledged += acknowledgedNow
            #expect(outcomes.allSatisfy { $0.notValid == 0 }, "blind writes of distinct keys cannot conflict")

            node = try await NodeProcess(dataDirectory: data, logs: directory.url, name: "start-\(round)", mspID: Self.mspID)
            let replayed = node.log.contains("replayed blocks into state")
            if replayed { replayingRestarts += 1 }
            print(
                "round \(round): killed after \(delay), \(acknowledgedNow.count) acknowledged VALID"
                    + (replayed ? ", restart replayed blocks into state" : "")
                    + "; client errors: \(Set(outcomes.compactMap(\.error)).sorted().prefix(2))")
        }
        #expect(!acknowledged.isEmpty)

        // A random kill rarely lands between a block's append and its state update, so also lose
        // state.sqlite (derived data) in one last crash: the restart must rebuild it by replay.
        _ = await node.stop(SIGKILL)
        let ledger = data.appending(path: "ledger/\(Self.channel)")
        for file in ["state.sqlite", "state.sqlite-wal", "state.sqlite-shm"] {
            try? FileManager.default.removeItem(at: ledger.appending(path: file))
        }
        node = try await NodeProcess(dataDirectory: data, logs: directory.url, name: "start-without-state", mspID: Self.mspID)
        #expect(node.log.contains("replayed blocks into state"), "\(node.log)")

        let lost = try await Self.missing(acknowledged, on: node, as: admin)
        #expect(lost.isEmpty, "\(lost.count) of \(acknowledged.count) acknowledged transactions are lost or changed: \(lost.prefix(10))")

        #expect(await node.stop(SIGTERM) == 0, "serve exits 0 on SIGTERM\n\(node.log)")
        let verified = try await verifyLedger(data)
        #expect(verified.status == 0, "\(verified.summary)")
        #expect(verified.standardOutput.contains("channel \(Self.channel): "))
        #expect(verified.standardOutput.contains("chain and state verified"), "\(verified.summary)")
        let validInChain = verified.standardOutput.firstMatch(of: /\((\d+) valid\)/).flatMap { Int($0.1) } ?? 0
        #expect(validInChain >= acknowledged.count)

        print(
            "crash test: \(Self.rounds) kills, \(acknowledged.count) transactions acknowledged VALID, all present; "
                + "\(replayingRestarts) restarts after a random kill replayed blocks; \(verified.standardOutput.trimmingCharacters(in: .newlines)); "
                + "\(ContinuousClock.now - started)")
    }

    /// Submits `asset Put(key, value)` with fresh keys until a call fails (the node died), and
    /// returns what CommitStatus acknowledged.
    static func submitUntilFailure(
        address: ListeningAddress, trusting caCertificatePath: String, as user: TestUser, keyPrefix: String,
        progress: AcknowledgementCounter
    ) async -> WorkerOutcome {
        var outcome = WorkerOutcome()
        do {
            try await withClient(address: address, trusting: caCertificatePath, as: user) { client in
                let gateway = LedgerGateway(client: client, signer: user.signer, channel: channel, options: callOptions())
                for sequence in 0... {
                    let key = "\(keyPrefix)-\(sequence)"
                    let value = "value of \(key)"
                    let committed = try await gateway.submit("asset", "Put", [key, value])
                    if committed.status.result == .valid {
                        outcome.acknowledged.append(
                            Acknowledged(key: key, value: value, txID: committed.txID, blockNumber: committed.status.blockNumber))
                        progress.record()
                    } else {
                        outcome.notValid += 1
                    }
                }
            }
        } catch let error as RPCError {
            outcome.error = "\(error.code)"
        } catch {
            outcome.error = "\(type(of: error))"
        }
        return outcome
    }

    /// The acknowledged transactions the node no longer reports as committed VALID in the same
    /// block, or whose key no longer holds the acknowledged value. Checked by a few clients at once.
    static func missing(_ acknowledged: [Acknowledged], on node: NodeProcess, as user: TestUser) async throws -> [String] {
        guard !acknowledged.isEmpty else { return [] }
        let clients = 4
        return try await withThrowingTaskGroup(of: [String].self) { group in
            for client in 0..<clients {
                let share = stride(from: client, to: acknowledged.count, by: clients).map { acknowledged[$0] }
                group.addTask { [address = node.address, trust = node.caCertificatePath] in
                    try await withClient(address: address, trusting: trust, as: user) { client in
                        let gateway = LedgerGateway(client: client, signer: user.signer, channel: channel, options: callOptions())
                        var lost: [String] = []
                        for transaction in share {
                            var request = Medledger_V1_CommitStatusRequest()
                            request.channelID = channel
                            request.transactionID = transaction.txID
                            do {
                                let status = try await gateway.gateway.commitStatus(request, options: callOptions())
                                if status.result != .valid || status.blockNumber != transaction.blockNumber {
                                    lost.append("\(transaction.txID): \(status.result) in block \(status.blockNumber), acknowledged in \(transaction.blockNumber)")
                                }
                            } catch let error as RPCError {
                                lost.append("\(transaction.txID): CommitStatus failed: \(error.code) \(error.message)")
                            }
                            do {
                                let stored = try await gateway.evaluate("asset", "Get", [transaction.key])
                                let value = String(decoding: stored.payload, as: UTF8.self)
                                if value != transaction.value { lost.append("\(transaction.key) holds '\(value)'") }
                            } catch let error as RPCError {
                                lost.append("\(transaction.key): Get failed: \(error.code) \(error.message)")
                            }
                        }
                        return lost
                    }
                }
            }
            return try await group.reduce(into: []) { $0 += $1 }
        }
    }
}


/// Counts acknowledged transactions across workers and lets the test wait for the first one.
final class AcknowledgementCounter: Sendable {
    private let count = Mutex(0)

    func record() {
        count.withLock { $0 += 1 }
    }

    func waitForFirst(timeout: Duration) async {
        let deadline = ContinuousClock.now + timeout
        while count.withLock({ $0 }) == 0, ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(20))
        }
    }
}
