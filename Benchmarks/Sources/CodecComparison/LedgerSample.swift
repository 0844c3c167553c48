public import Foundation
public import Schema
import Wire

/// The ledger data every codec works on: a Fabric-like endorsed transaction of about 3.3 KB and a
/// block of such transactions, built once with MedLedger's types and encoded by MedLedger's encoder.
/// The peers decode their own values from these bytes, so all three see identical input.
public struct LedgerSample: Sendable {
    /// The read-write set (and response) the endorsers signed for the first transaction.
    public let payload: Medledger_V1_ProposalResponsePayload
    /// The first transaction; its `proposal_response_payload` holds `payloadBytes`.
    public let transaction: Medledger_V1_Transaction
    /// The first transaction as ordered: `transactionBytes` and the creator's signature.
    public let envelope: Medledger_V1_Envelope
    /// A block whose data holds the encoded envelopes of `transactionsPerBlock` distinct transactions.
    public let block: Medledger_V1_Block

    public let payloadBytes: Data
    public let transactionBytes: Data
    public let envelopeBytes: Data
    public let blockBytes: Data

    /// Envelopes in `block`.
    public let transactionsPerBlock: Int
    /// Reads plus writes in one transaction's read-write set: what a 3-level decode counts.
    public static let readsAndWritesPerTransaction = 10

    public init(transactionsPerBlock: Int = 500) {
        self.transactionsPerBlock = max(transactionsPerBlock, 1)
        var bytes = SampleBytes(seed: 0x6D65_646C_6564_6765)
        var envelopes: [Medledger_V1_Envelope] = []
        var payloads: [Medledger_V1_ProposalResponsePayload] = []
        var transactions: [Medledger_V1_Transaction] = []
        for index in 0..<self.transactionsPerBlock {
            let payload = Self.proposalResponsePayload(index: index, bytes: &bytes)
            let transaction = Self.transaction(index: index, payload: payload.serializedData(), bytes: &bytes)
            var envelope = Medledger_V1_Envelope()
            envelope.payload = transaction.serializedData()
            envelope.signature = bytes.signature()
            payloads.append(payload)
            transactions.append(transaction)
            envelopes.append(envelope)
        }
        payload = payloads[0]
        transaction = transactions[0]
        envelope = envelopes[0]
        block = Self.block(envelopes: envelopes.map { $0.serializedData() }, bytes: &bytes)
        payloadBytes = payload.serializedData()
        transactionBytes = transaction.serializedData()
        envelopeBytes = envelope.serializedData()
        blockBytes = block.serializedData()
    }

    static let channel = "hospital-a-research"
    static let chaincode = "medrecords"

    static func key(patient: Int, record: Int) -> String {
        "P\(String(patient).leftPadded(to: 6))~R\(String(record).leftPadded(to: 6))"
    }

    /// 6 reads and 4 writes in one namespace, an event and a 200 response.
    static func proposalResponsePayload(index: Int, bytes: inout SampleBytes) -> Medledger_V1_ProposalResponsePayload {
        var rwset = Medledger_V1_ReadWriteSet()
        rwset.namespace = chaincode
        let patient = 1_000 + index * 7
        for read in 0..<6 {
            var kvRead = Medledger_V1_KVRead()
            kvRead.key = key(patient: patient, record: read)
            if read != 5 {  // the last key did not exist yet: no version
                var version = Medledger_V1_Version()
                version.blockNum = UInt64(40_000 + read * 13 + index)
                version.txNum = UInt64((index + read) % 500)
                kvRead.version = version
            }
            rwset.reads.append(kvRead)
        }
        for write in 0..<4 {
            var kvWrite = Medledger_V1_KVWrite()
            kvWrite.key = key(patient: patient, record: write + 5)
            kvWrite.value = bytes.data(count: 24)
            rwset.writes.append(kvWrite)
        }
        let txID = bytes.hex(count: 32)
        var event = Medledger_V1_ChaincodeEvent()
        event.chaincodeName = chaincode
        event.txID = txID
        event.eventName = "RecordAdded"
        event.payload = bytes.data(count: 24)
        var response = Medledger_V1_Response()
        response.status = 200
        response.payload = bytes.data(count: 16)
        var payload = Medledger_V1_ProposalResponsePayload()
        payload.proposalHash = bytes.data(count: 32)
        payload.results = [rwset]
        payload.event = event
        payload.response = response
        return payload
    }

    /// A signed `AddRecord` proposal with an 800-byte creator certificate and two endorsements.
    static func transaction(index: Int, payload: Data, bytes: inout SampleBytes) -> Medledger_V1_Transaction {
        var input = Medledger_V1_ChaincodeInput()
        input.function = "AddRecord"
        let patient = 1_000 + index * 7
        input.args = [
            Data("P\(String(patient).leftPadded(to: 6))".utf8),
            Data("R\(String(index).leftPadded(to: 6))".utf8),
            Data(#"{"type":"lab","cid":"QmYwAPJzv5CZsnA625s3Xf2nemtYgPpHdWEz79ojWnPbdG"}"#.utf8),
            bytes.data(count: 32),
        ]
        var timestamp = Medledger_V1_Timestamp()
        timestamp.seconds = 1_764_000_000 + Int64(index)
        timestamp.nanos = Int32(truncatingIfNeeded: bytes.next() % 1_000_000_000)
        var proposal = Medledger_V1_Proposal()
        proposal.channelID = channel
        proposal.chaincodeName = chaincode
        proposal.input = input
        proposal.txID = bytes.hex(count: 32)
        proposal.nonce = bytes.data(count: 24)
        proposal.creator = bytes.certificate()
        proposal.timestamp = timestamp
        var endorser = Medledger_V1_EndorserTransaction()
        endorser.proposal = proposal
        endorser.proposalResponsePayload = payload
        for _ in 0..<2 {
            var endorsement = Medledger_V1_Endorsement()
            endorsement.endorser = bytes.certificate()
            endorsement.signature = bytes.signature()
            endorser.endorsements.append(endorsement)
        }
        var transaction = Medledger_V1_Transaction()
        transaction.body = .endorserTransaction(endorser)
        return transaction
    }

    static func block(envelopes: [Data], bytes: inout SampleBytes) -> Medledger_V1_Block {
        var header = Medledger_V1_BlockHeader()
        header.number = 40_123
        header.previousHash = bytes.data(count: 32)
        header.dataHash = bytes.data(count: 32)
        var data = Medledger_V1_BlockData()
        data.data = envelopes
        var metadata = Medledger_V1_BlockMetadata()
        metadata.signer = bytes.certificate()
        metadata.signature = bytes.signature()
        metadata.validationCodes = envelopes.indices.map { $0 % 50 == 7 ? .mvccReadConflict : .valid }
        metadata.lastConfigBlockNumber = 3
        metadata.commitHash = bytes.data(count: 32)
        var block = Medledger_V1_Block()
        block.header = header
        block.data = data
        block.metadata = metadata
        return block
    }
}

/// Deterministic stand-in bytes (SplitMix64): signatures, hashes and certificates are opaque to a
/// codec, so only their lengths need to be realistic.
struct SampleBytes {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func data(count: Int) -> Data {
        Data((0..<count).map { _ in UInt8(truncatingIfNeeded: next()) })
    }

    mutating func hex(count: Int) -> String {
        data(count: count).map { String($0, radix: 16).leftPadded(to: 2) }.joined()
    }

    /// The size of a P-256 X.509 certificate with a few extensions, starting like DER (SEQUENCE, 2-byte length).
    mutating func certificate() -> Data {
        Data([0x30, 0x82, 0x03, 0x1C]) + data(count: 796)
    }

    /// A DER ECDSA P-256 signature: SEQUENCE of two INTEGERs, 72 bytes at most.
    mutating func signature() -> Data {
        Data([0x30, 0x46, 0x02, 0x21, 0x00]) + data(count: 32) + Data([0x02, 0x21, 0x00]) + data(count: 32)
    }
}

extension String {
    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
