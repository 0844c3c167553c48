public import Foundation
public import Schema

/// Everything a committed block changes in the derived stores: world state, key history and the
/// transaction index (and the chaincode events it emits). Computed by `BlockValidator` at commit
/// and again, identically, by `StateUpdate.derive(from:)` when state is rebuilt from the block store.
public struct StateUpdate: Sendable, Equatable {
    /// One key written by a valid transaction.
    public struct Write: Sendable, Equatable {
        public var namespace: String
        public var key: String
        /// The new value; nil deletes the key.
        public var value: Data?
        public var version: Medledger_V1_Version
        public var txID: String
        public var timestamp: Medledger_V1_Timestamp

        public init(
            namespace: String, key: String, value: Data?, version: Medledger_V1_Version, txID: String,
            timestamp: Medledger_V1_Timestamp
        ) {
            self.namespace = namespace
            self.key = key
            self.value = value
            self.version = version
            self.txID = txID
            self.timestamp = timestamp
        }
    }

    /// One transaction of the block, valid or not, for the transaction index.
    public struct IndexedTransaction: Sendable, Equatable {
        public var txID: String
        public var location: TransactionLocation

        public init(txID: String, location: TransactionLocation) {
            self.txID = txID
            self.location = location
        }
    }

    /// The block these updates come from; applying it makes `lastAppliedBlock` this number.
    public var blockNumber: UInt64
    /// Writes of valid transactions in block order (a later write of the same key wins).
    public var writes: [Write]
    /// Every transaction of the block that has a tx ID (including invalid ones); a tx ID appears once.
    public var transactions: [IndexedTransaction]
    /// The chaincode events of the valid transactions, in block order. They are not stored: they
    /// come along for whoever follows commits, so that nobody decodes the block again for them.
    public var events: [Medledger_V1_ChaincodeEvent]

    public init(
        blockNumber: UInt64, writes: [Write] = [], transactions: [IndexedTransaction] = [], events: [Medledger_V1_ChaincodeEvent] = []
    ) {
        self.blockNumber = blockNumber
        self.writes = writes
        self.transactions = transactions
        self.events = events
    }
}

/// A store that state updates are applied to, one block at a time and atomically.
public protocol StateWriter {
    /// Applies `update` as one atomic change that also records `update.blockNumber` as the last
    /// applied block. Applying block N requires the last applied block to be N-1 (or none for 0).
    func apply(_ update: StateUpdate) throws
}
