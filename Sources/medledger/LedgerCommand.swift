internal import ArgumentParser
internal import Chaincode
internal import Foundation
internal import Identity
internal import LedgerCore
internal import LedgerStore
internal import Server

/// `medledger ledger …`: offline checks of a node's ledger.
struct LedgerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ledger",
        abstract: "Inspect and verify a node's ledger.",
        subcommands: [Verify.self]
    )

    /// `medledger ledger verify`: rechecks every block and recomputes state.
    struct Verify: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Recheck every block of every channel and compare state with a replay.",
            discussion: """
                Checks each block's encoding, number, header hash chain, data hash and orderer signature; \
                validates every transaction again (signatures, endorsement policy, MVCC) and compares the \
                recorded validation codes and commit hash; then compares the stored world state with the \
                state recomputed from the blocks. Names the first bad block and exits 1 if anything differs. \
                It takes the data directory's lock, so it is refused while a node runs on it: stop the node first.
                """
        )

        @Option(name: .customLong("data"), help: ArgumentHelp("The node's data directory.", valueName: "DIR"))
        var dataDirectory = "./medledger-data"

        @Option(help: "Verify only this channel.")
        var channel: String?

        func run() throws {
            let data = URL(fileURLWithPath: dataDirectory)
            guard FileManager.default.fileExists(atPath: data.path) else { throw ValidationError("no data directory at \(data.path)") }
            // A node must not commit while its chain is read and compared with its state: verify
            // takes the directory's lock as the node does, and is refused while one runs.
            let lock = try DataDirectoryLock(directory: data)
            defer { withExtendedLifetime(lock) {} }
            let orderer = data.appendingPathComponent("channels", isDirectory: true)
            if !FileManager.default.fileExists(atPath: ServerConfiguration(dataDirectory: data).ledgerDirectory.path),
                FileManager.default.fileExists(atPath: orderer.path)
            {
                try verifyOrderer(channels: orderer)
                return
            }
            let ledger = ServerConfiguration(dataDirectory: data).ledgerDirectory
            let found = ((try? FileManager.default.contentsOfDirectory(atPath: ledger.path)) ?? [])
                .filter(ChannelConfigRules.isValidChannelID).sorted()
            let channels = channel.map { [$0] } ?? found
            guard !channels.isEmpty else { throw ValidationError("no channels under \(ledger.path)") }
            var failed = false
            for name in channels {
                guard found.contains(name) else { throw ValidationError("no channel '\(name)' under \(ledger.path)") }
                do {
                    print(try verify(channel: name, in: ledger.appendingPathComponent(name, isDirectory: true)))
                } catch {
                    print("channel \(name): FAILED: \(error)")
                    failed = true
                }
            }
            if failed { throw ExitCode(1) }
        }

        private func verify(channel: String, in directory: URL) throws -> String {
            let store = try LedgerStore(directory: directory, durability: .normal, repairingState: false)
            var verifier = ChainVerifier(knownChaincodes: Set(BuiltInContracts.all.map(\.name)))
            // State may lag the chain (a crash between a block's append and its state update): it
            // is compared with the replay up to the last block it applied, which a node opening
            // the ledger replays on from.
            let applied = try store.lastAppliedBlock()
            var replayed = applied == nil ? verifier.state.allEntries() : nil
            // The block store reports whatever its callback throws as a storage error; carry the
            // verifier's own failure past it so the output names the block and why, not "storage".
            var failure: ChainVerificationFailure?
            do {
                try store.blocks.forEachBlock(from: 0) { number, bytes in
                    do throws(ChainVerificationFailure) { try verifier.verify(bytes) } catch {
                        failure = error
                        throw error
                    }
                    if number == applied { replayed = verifier.state.allEntries() }
                }
            } catch {
                throw failure ?? error
            }
            let stored = try store.allState()
            let lag = verifier.height - (applied.map { $0 + 1 } ?? 0)
            let expected = replayed ?? [:]
            if stored != expected {
                let namespaces = Set(stored.keys).union(expected.keys).sorted()
                let differing = namespaces.first { stored[$0] ?? [:] != expected[$0] ?? [:] } ?? "?"
                throw ChainVerificationFailure(
                    block: applied ?? 0,
                    reason: "the stored world state differs from the replay of the blocks (namespace '\(differing)')")
            }
            let keys = stored.values.reduce(0) { $0 + $1.count }
            let lagging = lag > 0 ? " (state lags the chain by \(lag) block\(lag == 1 ? "" : "s"); a node replays them when it opens the ledger)" : ""
            return "channel \(channel): \(verifier.height) blocks, \(verifier.transactionCount) transactions (\(verifier.validCount) valid), \(keys) keys; chain and state verified\(lagging); tip \(Hex.encode(verifier.tipHash))"
        }

        /// An orderer's data directory: each channel's ordered chain (no state to compare).
        private func verifyOrderer(channels directory: URL) throws {
            let found = ((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []).filter(ChannelConfigRules.isValidChannelID).sorted()
            let names = channel.map { [$0] } ?? found
            guard !names.isEmpty else { throw ValidationError("no channels under \(directory.path)") }
            var failed = false
            for name in names {
                guard found.contains(name) else { throw ValidationError("no channel '\(name)' under \(directory.path)") }
                do {
                    let blocks = try BlockStore(directory: directory.appendingPathComponent(name, isDirectory: true), durability: .normal)
                    var verifier = OrderedChainVerifier()
                    var failure: ChainVerificationFailure?
                    do {
                        try blocks.forEachBlock(from: 0) { _, bytes in
                            do throws(ChainVerificationFailure) { try verifier.verify(bytes) } catch {
                                failure = error
                                throw error
                            }
                        }
                    } catch {
                        throw failure ?? error
                    }
                    print("channel \(name): \(verifier.height) ordered blocks; chain verified; tip \(Hex.encode(verifier.tipHash))")
                } catch {
                    print("channel \(name): FAILED: \(error)")
                    failed = true
                }
            }
            if failed { throw ExitCode(1) }
        }
    }
}
