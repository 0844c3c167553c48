import Foundation
@testable import MedLedgerKit
import MedLedgerTesting
import Schema
import Testing
import Wire

/// The block explorer over real mTLS on the development network: who did what in which block,
/// linked by hashes, and never a transaction's arguments or values.
@Suite("ChainExplorer summarises blocks for an auditor")
struct ChainExplorerTests {
    @Test func anAuditorSeesEachTransactionsContractFunctionAndKeysButNoArgument() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try await withDevNetwork(in: directory.url) { dev in
            let secret = "explorer-secret-\(UUID().uuidString)"
            let (put, created) = try await dev.ledger(as: "dr-alice") { gateway in
                (
                    try await gateway.submit("asset", "Put", ["explorer-key", secret]),
                    try await gateway.submit("asset", "CreateAsset", ["explorer-asset", #"{"owner":"\#(secret)","value":7}"#])
                )
            }
            let (height, blocks) = try await dev.withClient(as: "auditor") { client in
                let height = try await ChannelHeight.current(client: client, channel: "ehr", options: callOptions())
                return (height, try await ChainExplorer.blocks(client: client, channel: "ehr", from: 0, through: height - 1, options: callOptions()))
            }

            // The chain audit of the same channel reports each verified block, up to the height.
            let seen = VerifiedCounts()
            let report = try await dev.withClient(as: "auditor") { client in
                try await ChainAudit.verify(client: client, channel: "ehr", knownChaincodes: ["asset", "ehr"], options: callOptions()) {
                    await seen.note($0)
                }
            }
            #expect(report.height == height)
            #expect(await seen.counts == Array(1...report.height))

            #expect(blocks.map(\.number) == Array(0..<height))
            let genesis = try #require(blocks.first)
            #expect(genesis.transactions.map(\.kind) == [.config] && genesis.transactions.first?.validationCode == "VALID")
            #expect(genesis.previousHash.isEmpty && genesis.time != nil)
            for (previous, block) in zip(blocks, blocks.dropFirst()) {
                #expect(block.previousHash == previous.hash, "block \(block.number) links to block \(previous.number)")
                #expect(block.hash.count == 64 && block.dataHash.count == 64)
            }

            let transactions = blocks.flatMap(\.transactions)
            for (committed, function, key) in [(put, "Put", "explorer-key"), (created, "CreateAsset", "explorer-asset")] {
                let summary = try #require(transactions.first { $0.txID == committed.txID })
                #expect(summary.kind == .endorser && summary.contract == "asset" && summary.function == function)
                #expect(summary.validationCode == "VALID" && summary.time != nil)
                #expect(summary.creator == "clinician dr-alice@HospitalAMSP" && summary.creatorMSP == "HospitalAMSP")
                #expect(!summary.endorsers.isEmpty && summary.endorsers.allSatisfy { $0.hasPrefix("peer ") && $0.hasSuffix("MSP") })
                #expect(summary.keysWritten.contains { $0.hasPrefix("asset ") && $0.contains(key) }, "\(summary.keysWritten)")
            }
            #expect(blocks.allSatisfy { $0.validCount == $0.transactions.filter { $0.validationCode == "VALID" }.count })
            #expect(!String(describing: blocks).contains(secret), "no argument or written value appears in a summary")
        }
    }

    @Test func argumentsValuesAndAnswersStayOutAndAnUndecodableTransactionDoesNotHideThePage() throws {
        let secret = "SECRET-DIAGNOSIS"
        let time = Date(timeIntervalSince1970: 1_700_000_000)
        var proposal = Medledger_V1_Proposal()
        proposal.channelID = "ehr"
        proposal.chaincodeName = "asset"
        proposal.txID = "tx-1"
        proposal.timestamp = Medledger_V1_Timestamp(date: time)
        var input = Medledger_V1_ChaincodeInput()
        input.function = "Put"
        input.args = [Data("k".utf8), Data(secret.utf8)]
        proposal.input = input
        var write = Medledger_V1_KVWrite()
        write.key = "k"
        write.value = Data(secret.utf8)
        var deletion = Medledger_V1_KVWrite()
        deletion.key = "old"
        deletion.isDelete = true
        var composite = Medledger_V1_KVWrite()
        composite.key = "\u{0}audit\u{0}P-1\u{0}42\u{0}"
        composite.value = Data(secret.utf8)
        var writes = Medledger_V1_ReadWriteSet()
        writes.namespace = "asset"
        writes.writes = [write, deletion, composite]
        var response = Medledger_V1_Response()
        response.status = 200
        response.payload = Data(secret.utf8)
        var payload = Medledger_V1_ProposalResponsePayload()
        payload.results = [writes]
        payload.response = response
        var endorsed = Medledger_V1_EndorserTransaction()
        endorsed.proposal = proposal
        endorsed.proposalResponsePayload = payload.serializedData()
        var endorsement = Medledger_V1_Endorsement()
        endorsement.endorser = Data([1, 2, 3])
        endorsed.endorsements = [endorsement]
        var unreadableResults = endorsed
        proposal.txID = "tx-3"
        unreadableResults.proposal = proposal
        unreadableResults.proposalResponsePayload = Data([0xff])

        var data = Medledger_V1_BlockData()
        data.data = [Self.envelope(endorsed), Data([0xff, 0xff]), Self.envelope(unreadableResults)]
        var header = Medledger_V1_BlockHeader()
        header.number = 7
        header.dataHash = Data([0xab])
        var metadata = Medledger_V1_BlockMetadata()
        // The third transaction has no recorded code.
        metadata.validationCodes = [.valid, .badPayload]
        var block = Medledger_V1_Block()
        block.header = header
        block.data = data
        block.metadata = metadata

        let summary = ChainExplorer.summary(of: block)
        #expect(summary.number == 7 && summary.dataHash == "ab" && summary.time == time)
        #expect(summary.transactionCount == 3 && summary.validCount == 1)
        #expect(summary.transactions.map(\.kind) == [.endorser, .undecodable, .undecodable])
        #expect(summary.transactions.map(\.validationCode) == ["VALID", "BAD_PAYLOAD", "NOT_VALIDATED"])
        let first = summary.transactions[0]
        #expect(first.txID == "tx-1" && first.contract == "asset" && first.function == "Put" && first.time == time)
        #expect(first.keysWritten == ["asset 'k'", "asset 'old' (deleted)", "asset audit(P-1, 42)"])
        #expect(first.creator == "an unreadable certificate" && first.creatorMSP == nil && first.endorsers == ["an unreadable certificate"])
        #expect(summary.transactions[1].txID.isEmpty && summary.transactions[1].function == nil)
        // What decoded before the failure is still shown.
        #expect(summary.transactions[2].txID == "tx-3" && summary.transactions[2].function == "Put")
        #expect(!String(describing: summary).contains(secret))
    }

    static func envelope(_ endorsed: Medledger_V1_EndorserTransaction) -> Data {
        var transaction = Medledger_V1_Transaction()
        transaction.body = .endorserTransaction(endorsed)
        var envelope = Medledger_V1_Envelope()
        envelope.payload = transaction.serializedData()
        return envelope.serializedData()
    }
}

/// The counts `ChainAudit.verify` reported, in order.
actor VerifiedCounts {
    private(set) var counts: [UInt64] = []

    func note(_ count: UInt64) {
        counts.append(count)
    }
}
