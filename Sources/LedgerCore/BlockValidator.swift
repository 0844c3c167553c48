public import Schema

/// The stateful half of validation, in block order: a tx ID may appear once on the ledger, every
/// version a transaction read (point reads and range scans) must still be current, counting the
/// writes of valid transactions earlier in the same block, and a peer of every owner of the data
/// it touches (the channel's `DataOwnerRule`s) must have endorsed it.
public struct BlockValidator {
    public init() {}

    /// The final validation code of each transaction of block `blockNumber`.
    public func finish(_ checked: [CheckedTransaction], state: some StateReader) throws -> [Medledger_V1_TxValidationCode] {
        var seenIDs: Set<String> = []
        var written: [String: Set<String>] = [:]
        var codes: [Medledger_V1_TxValidationCode] = []
        codes.reserveCapacity(checked.count)
        for transaction in checked {
            var code = transaction.code
            // A configuration change is ordered in a block of its own (`ConfigUpdate.installed`).
            if transaction.config != nil, checked.count > 1 { code = .invalidConfigTransaction }
            if let txID = transaction.txID {
                let repeated = !seenIDs.insert(txID).inserted
                if try repeated || state.transaction(txID) != nil {
                    code = .duplicateTxid
                }
            }
            if code == .valid {
                code = try readConflict(transaction.readWriteSets, written: written, state: state) ?? .valid
            }
            if code == .valid, !transaction.ownerRules.isEmpty, try !ownersEndorsed(transaction, state: state) {
                code = .endorsementPolicyFailure
            }
            if code == .valid {
                for set in transaction.readWriteSets {
                    written[set.namespace, default: []].formUnion(set.writes.map(\.key))
                }
            }
            codes.append(code)
        }
        return codes
    }

    /// True if a peer of every organisation owning what the transaction reads or writes endorsed
    /// it (`DataOwnership`, on the committed state before this block: a read of a key an earlier
    /// transaction of the block wrote is already a conflict).
    private func ownersEndorsed(_ transaction: CheckedTransaction, state: some StateReader) throws -> Bool {
        do {
            let owners = try DataOwnership.owners(under: transaction.ownerRules, of: transaction.readWriteSets, state: state)
            return owners.isSubset(of: transaction.endorsingPeerOrganizations)
        } catch is DataOwnership.Unnamed {
            return false
        }
    }

    private func readConflict(
        _ sets: [Medledger_V1_ReadWriteSet], written: [String: Set<String>], state: some StateReader
    ) throws -> Medledger_V1_TxValidationCode? {
        for set in sets {
            let touched = written[set.namespace] ?? []
            for read in set.reads {
                if touched.contains(read.key) { return .mvccReadConflict }
                let committed = try state.get(namespace: set.namespace, key: read.key)?.version
                if committed != read.version { return .mvccReadConflict }
            }
            for range in set.rangeQueries where try isPhantom(range, namespace: set.namespace, touched: touched, state: state) {
                return .phantomReadConflict
            }
        }
        return nil
    }

    /// Re-runs a recorded range scan: the keys and versions must be exactly those recorded. A scan
    /// that stopped early (a page) is checked only up to the last key it returned.
    private func isPhantom(_ range: Medledger_V1_RangeQueryInfo, namespace: String, touched: Set<String>, state: some StateReader) throws -> Bool {
        var end = range.endKey
        if !range.itrExhausted {
            guard let last = range.reads.last?.key else { return false }
            end = last + "\u{0}"
        }
        if touched.contains(where: { StateKeyOrder.contains($0, start: range.startKey, end: end) }) { return true }
        let now = try state.range(namespace: namespace, start: range.startKey, end: end, limit: range.reads.count + 1)
        guard now.count == range.reads.count else { return true }
        return zip(now, range.reads).contains { $0.key != $1.key || $0.version != $1.version }
    }
}
