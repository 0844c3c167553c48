import Foundation
import Schema
import Wire

/// MedLedger's own runtime (`Wire`) and generated code (`Schema`).
struct WireCodec: ComparedCodec {
    let name = "MedLedger Wire"
    let sample: LedgerSample

    init(_ sample: LedgerSample) throws {
        self.sample = sample
        let encoded = Self.encodeEnvelopeDeep(sample)
        try requireSameBytes(encoded, sample.envelopeBytes, "\(name) 3-level envelope encoding")
        let seen = try Self.decodeBlockDeep(sample.blockBytes)
        guard seen == LedgerSample.readsAndWritesPerTransaction * sample.transactionsPerBlock else {
            throw CodecMismatch(description: "\(name) saw \(seen) reads and writes in the block")
        }
    }

    func run(_ operation: CodecOperation) -> Int {
        do {
            switch operation {
            case .transactionEncode:
                return sample.transaction.serializedData().count
            case .transactionDecode:
                return try Medledger_V1_Transaction(serializedData: sample.transactionBytes)
                    .endorserTransaction.endorsements.count
            case .envelopeEncodeDeep:
                return Self.encodeEnvelopeDeep(sample).count
            case .envelopeDecodeDeep:
                return try Self.decodeEnvelopeDeep(sample.envelopeBytes)
            case .blockEncode:
                return sample.block.serializedData().count
            case .blockDecode:
                return try Medledger_V1_Block(serializedData: sample.blockBytes).data?.data.count ?? 0
            case .blockDecodeDeep:
                return try Self.decodeBlockDeep(sample.blockBytes)
            }
        } catch {
            fatalError("\(name) \(operation.rawValue): \(error)")
        }
    }

    static func encodeEnvelopeDeep(_ sample: LedgerSample) -> Data {
        var transaction = sample.transaction
        transaction.endorserTransaction.proposalResponsePayload = sample.payload.serializedData()
        var envelope = sample.envelope
        envelope.payload = transaction.serializedData()
        return envelope.serializedData()
    }

    static func decodeEnvelopeDeep(_ bytes: Data) throws -> Int {
        let envelope = try Medledger_V1_Envelope(serializedData: bytes)
        let transaction = try Medledger_V1_Transaction(serializedData: envelope.payload)
        guard case .endorserTransaction(let endorsed)? = transaction.body else {
            throw CodecMismatch(description: "not an endorser transaction")
        }
        let payload = try Medledger_V1_ProposalResponsePayload(serializedData: endorsed.proposalResponsePayload)
        return payload.results.reduce(0) { $0 + $1.reads.count + $1.writes.count }
    }

    static func decodeBlockDeep(_ bytes: Data) throws -> Int {
        let block = try Medledger_V1_Block(serializedData: bytes)
        var seen = 0
        for envelope in block.data?.data ?? [] {
            seen += try decodeEnvelopeDeep(envelope)
        }
        return seen
    }
}
