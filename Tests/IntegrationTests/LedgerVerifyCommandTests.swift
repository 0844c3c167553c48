import Foundation
import LedgerStore
import MedLedgerKit
import MedLedgerTesting
import Schema
import Testing
import Wire

/// `medledger ledger verify` on the data directory of a stopped `medledger serve`: a ledger as the
/// node wrote it verifies; one flipped byte in a stored block, or one changed world-state value,
/// fails verification and names the block.
@Suite("medledger ledger verify", .timeLimit(.minutes(3)))
struct LedgerVerifyCommandTests {
    static let channel = "audit"
    /// Blocks after the genesis block, one `Put(key-i, value-i)` each.
    static let transactions = 4
    /// The block the tamper tests alter: neither the genesis block nor the newest.
    static let tamperedBlock: UInt64 = 2

    /// Where in a stored block a byte is flipped, and what verification must then say.
    enum Part: String, CaseIterable, Sendable {
        case header, transaction, ordererSignature, validationCode

        var expectedReason: String {
            switch self {
            case .header: "previous_hash does not match"
            case .transaction: "data_hash does not match"
            case .ordererSignature: "orderer signature"
            case .validationCode: "transaction 0 is recorded as"
            }
        }

        /// The offset in `bytes` (the stored encoding of `block`) of a byte belonging to this part.
        func offset(in bytes: Data, of block: Medledger_V1_Block) throws -> Int {
            switch self {
            case .header: return try position(of: block.header?.previousHash ?? Data(), in: bytes)
            case .transaction: return try position(of: block.data?.data.first ?? Data(), in: bytes)
            case .ordererSignature: return try position(of: block.metadata?.signature ?? Data(), in: bytes)
            case .validationCode:
                // Re-encoding with the first code changed from VALID (0) to NIL_ENVELOPE (1) shows
                // where that code's byte is.
                var altered = block
                try #require(altered.metadata?.validationCodes.first == .valid)
                altered.metadata?.validationCodes[0] = .nilEnvelope
                let alteredBytes = altered.serializedData()
                try #require(alteredBytes.count == bytes.count)
                let differing = zip(bytes, alteredBytes).enumerated().filter { $0.element.0 != $0.element.1 }.map(\.offset)
                try #require(differing.count == 1)
                return differing[0]
            }
        }

        /// The middle of `field`'s bytes within `bytes`.
        private func position(of field: Data, in bytes: Data) throws -> Int {
            try #require(!field.isEmpty)
            let range = try #require(bytes.range(of: field), "\(self) not found in the stored block")
            return range.lowerBound - bytes.startIndex + field.count / 2
        }
    }

    @Test func anUntamperedLedgerVerifies() async throws {
        try await withStoppedLedger { data in
            let verified = try await verifyLedger(data)
            #expect(verified.status == 0, "\(verified.summary)")
            #expect(
                verified.standardOutput.contains("channel \(Self.channel): \(Self.transactions + 1) blocks"), "\(verified.summary)")
            #expect(verified.standardOutput.contains("chain and state verified"))
        }
    }

    @Test(arguments: Part.allCases)
    func aFlippedByteInABlockFailsAndNamesTheBlock(_ part: Part) async throws {
        try await withStoppedLedger { data in
            let blocks = channelDirectory(data).appending(path: "blocks.sqlite")
            let offset = try {
                let store = try BlockStore(directory: channelDirectory(data), durability: .normal)
                let bytes = try #require(try store.blockBytes(Self.tamperedBlock))
                return try part.offset(in: bytes, of: try #require(try store.block(Self.tamperedBlock)))
            }()
            let flipped = try await sqlite(
                blocks,
                """
                (stored,) = db.execute("SELECT bytes FROM block WHERE number = ?", (int(sys.argv[2]),)).fetchone()
                tampered = bytearray(stored)
                tampered[int(sys.argv[3])] ^= 0x01
                db.execute("UPDATE block SET bytes = ? WHERE number = ?", (bytes(tampered), int(sys.argv[2])))
                """,
                ["\(Self.tamperedBlock)", "\(offset)"])
            #expect(flipped == 1)

            let verified = try await verifyLedger(data)
            #expect(verified.status == 1, "\(verified.summary)")
            #expect(
                verified.standardOutput.contains("channel \(Self.channel): FAILED: block \(Self.tamperedBlock): "),
                "\(verified.summary)")
            #expect(verified.standardOutput.contains(part.expectedReason), "\(verified.summary)")
        }
    }

    @Test func aChangedWorldStateValueFailsVerification() async throws {
        try await withStoppedLedger { data in
            let changed = try await sqlite(
                channelDirectory(data).appending(path: "state.sqlite"),
                #"db.execute("UPDATE state SET value = ? WHERE value = ?", (b"forged", sys.argv[2].encode()))"#,
                ["value-2"])
            #expect(changed == 1)

            let verified = try await verifyLedger(data)
            #expect(verified.status == 1, "\(verified.summary)")
            #expect(verified.standardOutput.contains("channel \(Self.channel): FAILED: block \(Self.transactions): "), "\(verified.summary)")
            #expect(verified.standardOutput.contains("the stored world state differs from the replay"), "\(verified.summary)")
        }
    }

    /// Runs `body` with the data directory of a node that committed the genesis block and
    /// `transactions` blocks of one `Put` each, then stopped.
    func withStoppedLedger(_ body: (URL) async throws -> Void) async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let data = directory.url.appending(path: "data")
        let node = try await NodeProcess(dataDirectory: data, logs: directory.url, name: "serve")
        try await node.createChannel(Self.channel)
        let admin = try TestUser(folder: node.admin)
        try await withClient(address: node.address, trusting: node.caCertificatePath, as: admin) { client in
            let gateway = LedgerGateway(client: client, signer: admin.signer, channel: Self.channel, options: callOptions())
            // One at a time, each waiting for its commit, so each lands in a block of its own.
            for index in 1...Self.transactions {
                let committed = try await gateway.submit("asset", "Put", ["key-\(index)", "value-\(index)"])
                try #require(committed.status.result == .valid)
                try #require(committed.status.blockNumber == UInt64(index))
            }
        }
        // Not while the node runs: it holds the data directory's lock.
        let whileRunning = try await verifyLedger(data)
        #expect(whileRunning.status != 0 && whileRunning.standardError.contains("in use by another MedLedger node"), "\(whileRunning.summary)")
        try #require(await node.stop(SIGTERM) == 0, "serve exits 0 on SIGTERM\n\(node.log)")
        try await body(data)
    }

    func channelDirectory(_ data: URL) -> URL {
        data.appending(path: "ledger/\(Self.channel)")
    }

    /// Runs `statements` (Python, with `db` open on `database` and `sys.argv[2...]` = `arguments`)
    /// in one committed transaction; returns how many rows they changed.
    func sqlite(_ database: URL, _ statements: String, _ arguments: [String]) async throws -> Int {
        try await requireTool(["python3", "-c", "import sqlite3"], install: "python3 with its sqlite3 module")
        let script = """
            import sqlite3, sys
            db = sqlite3.connect(sys.argv[1])
            \(statements)
            db.commit()
            print(db.total_changes)
            """
        let run = try await runProcess(["python3", "-c", script, database.path] + arguments)
        try #require(run.status == 0, "\(run.summary)")
        return try #require(Int(run.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines)), "\(run.summary)")
    }
}
