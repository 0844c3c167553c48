internal import Crypto
public import Foundation
public import Schema
internal import Wire

extension StateUpdate {
    /// The updates a committed block (with validation codes in its metadata) makes: the writes of
    /// its valid transactions, versioned by (block, position), an index entry for every
    /// transaction that has a tx ID, and the valid transactions' chaincode events. Replaying
    /// blocks through this rebuilds state exactly.
    public static func derive(from block: Medledger_V1_Block) throws(LedgerError) -> StateUpdate {
        let number = block.header?.number ?? 0
        let envelopes = block.data?.data ?? []
        let codes = block.metadata?.validationCodes ?? []
        guard codes.count == envelopes.count else {
            throw .corrupted(block: number, reason: "\(codes.count) validation codes for \(envelopes.count) transactions")
        }
        var update = StateUpdate(blockNumber: number)
        var indexed = Set<String>()
        for (position, bytes) in envelopes.enumerated() {
            guard let transaction = try? Medledger_V1_Transaction(serializedData: Medledger_V1_Envelope(serializedData: bytes).payload) else {
                if codes[position] == .valid { throw .corrupted(block: number, reason: "valid transaction \(position) does not decode") }
                continue
            }
            var version = Medledger_V1_Version()
            version.blockNum = number
            version.txNum = UInt64(position)
            switch transaction.body {
            case .endorserTransaction(let endorsed)?:
                let proposal = endorsed.proposal ?? .init()
                if !proposal.txID.isEmpty, indexed.insert(proposal.txID).inserted {
                    let location = TransactionLocation(blockNumber: number, position: UInt64(position), code: codes[position])
                    update.transactions.append(IndexedTransaction(txID: proposal.txID, location: location))
                }
                guard codes[position] == .valid else { continue }
                let payload: Medledger_V1_ProposalResponsePayload
                do { payload = try Medledger_V1_ProposalResponsePayload(serializedData: endorsed.proposalResponsePayload) } catch {
                    throw .corrupted(block: number, reason: "valid transaction \(position) has an undecodable response payload")
                }
                if let event = payload.event { update.events.append(event) }
                for set in payload.results {
                    for write in set.writes {
                        update.writes.append(
                            Write(
                                namespace: set.namespace, key: write.key, value: write.isDelete ? nil : write.value,
                                version: version, txID: proposal.txID, timestamp: proposal.timestamp ?? .init()
                            ))
                    }
                }
            case .configTransaction(let change)?:
                if !change.txID.isEmpty, indexed.insert(change.txID).inserted {
                    let location = TransactionLocation(blockNumber: number, position: UInt64(position), code: codes[position])
                    update.transactions.append(IndexedTransaction(txID: change.txID, location: location))
                }
            case nil:
                continue
            }
        }
        return update
    }

    /// SHA-256 chained over the previous block's commit hash and this update's writes, so two
    /// peers can compare their state by one hash.
    public func commitHash(previous: Data) -> Data {
        var hasher = SHA256()
        hasher.update(data: previous)
        var number = blockNumber.bigEndian
        withUnsafeBytes(of: &number) { hasher.update(bufferPointer: $0) }
        func field(_ bytes: Data) {
            var length = UInt64(bytes.count).bigEndian
            withUnsafeBytes(of: &length) { hasher.update(bufferPointer: $0) }
            hasher.update(data: bytes)
        }
        for write in writes {
            field(Data(write.namespace.utf8))
            field(Data(write.key.utf8))
            hasher.update(data: [write.value == nil ? 1 : 0])
            field(write.value ?? Data())
        }
        return Data(hasher.finalize())
    }
}
