import Foundation
import SwiftProtobuf
import SwiftProtobufPeer

/// apple/swift-protobuf 1.39.0 with code generated from the same .proto files.
struct SwiftProtobufCodec: ComparedCodec {
    let name = "swift-protobuf"
    let sample: LedgerSample
    let payload: Medledger_V1_ProposalResponsePayload
    let transaction: Medledger_V1_Transaction
    let envelope: Medledger_V1_Envelope
    let block: Medledger_V1_Block

    init(_ sample: LedgerSample) throws {
        self.sample = sample
        payload = try Medledger_V1_ProposalResponsePayload(serializedBytes: sample.payloadBytes)
        transaction = try Medledger_V1_Transaction(serializedBytes: sample.transactionBytes)
        envelope = try Medledger_V1_Envelope(serializedBytes: sample.envelopeBytes)
        block = try Medledger_V1_Block(serializedBytes: sample.blockBytes)
        try requireSameBytes(try payload.serializedBytes() as [UInt8], sample.payloadBytes, "\(name) ProposalResponsePayload")
        try requireSameBytes(try transaction.serializedBytes() as [UInt8], sample.transactionBytes, "\(name) Transaction")
        try requireSameBytes(try envelope.serializedBytes() as [UInt8], sample.envelopeBytes, "\(name) Envelope")
        try requireSameBytes(try block.serializedBytes() as [UInt8], sample.blockBytes, "\(name) Block")
        try requireSameBytes(try encodeEnvelopeDeep(), sample.envelopeBytes, "\(name) 3-level envelope encoding")
        let seen = try decodeBlockDeep(sample.blockBytes)
        guard seen == LedgerSample.readsAndWritesPerTransaction * sample.transactionsPerBlock else {
            throw CodecMismatch(description: "\(name) saw \(seen) reads and writes in the block")
        }
    }

    func run(_ operation: CodecOperation) -> Int {
        do {
            switch operation {
            case .transactionEncode:
                return try (transaction.serializedBytes() as Data).count
            case .transactionDecode:
                return try Medledger_V1_Transaction(serializedBytes: sample.transactionBytes)
                    .endorserTransaction.endorsements.count
            case .envelopeEncodeDeep:
                return try encodeEnvelopeDeep().count
            case .envelopeDecodeDeep:
                return try decodeEnvelopeDeep(sample.envelopeBytes)
            case .blockEncode:
                return try (block.serializedBytes() as Data).count
            case .blockDecode:
                return try Medledger_V1_Block(serializedBytes: sample.blockBytes).data.data.count
            case .blockDecodeDeep:
                return try decodeBlockDeep(sample.blockBytes)
            }
        } catch {
            fatalError("\(name) \(operation.rawValue): \(error)")
        }
    }

    func encodeEnvelopeDeep() throws -> Data {
        var transaction = transaction
        transaction.endorserTransaction.proposalResponsePayload = try payload.serializedBytes()
        var envelope = envelope
        envelope.payload = try transaction.serializedBytes()
        return try envelope.serializedBytes()
    }

    func decodeEnvelopeDeep(_ bytes: Data) throws -> Int {
        let envelope = try Medledger_V1_Envelope(serializedBytes: bytes)
        let transaction = try Medledger_V1_Transaction(serializedBytes: envelope.payload)
        guard case .endorserTransaction(let endorsed)? = transaction.body else {
            throw CodecMismatch(description: "not an endorser transaction")
        }
        let payload = try Medledger_V1_ProposalResponsePayload(serializedBytes: endorsed.proposalResponsePayload)
        return payload.results.reduce(0) { $0 + $1.reads.count + $1.writes.count }
    }

    func decodeBlockDeep(_ bytes: Data) throws -> Int {
        let block = try Medledger_V1_Block(serializedBytes: bytes)
        var seen = 0
        for envelope in block.data.data {
            seen += try decodeEnvelopeDeep(envelope)
        }
        return seen
    }
}
