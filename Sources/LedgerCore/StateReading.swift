public import Foundation
public import Schema

/// A value in world state together with the version (block, transaction) that last wrote it.
public struct VersionedValue: Sendable, Equatable {
    public var value: Data
    public var version: Medledger_V1_Version

    public init(value: Data, version: Medledger_V1_Version) {
        self.value = value
        self.version = version
    }
}

/// One key of a range or query result.
public struct StateEntry: Sendable, Equatable {
    public var key: String
    public var value: Data
    public var version: Medledger_V1_Version

    public init(key: String, value: Data, version: Medledger_V1_Version) {
        self.key = key
        self.value = value
        self.version = version
    }
}

/// One change of a key, as `getHistoryForKey` reports it: which transaction, when, and what it wrote.
public struct KeyModification: Sendable, Equatable {
    public var txID: String
    public var version: Medledger_V1_Version
    /// The proposal timestamp of the writing transaction.
    public var timestamp: Medledger_V1_Timestamp
    public var isDelete: Bool
    /// The value written; empty for a delete.
    public var value: Data

    public init(txID: String, version: Medledger_V1_Version, timestamp: Medledger_V1_Timestamp, isDelete: Bool, value: Data) {
        self.txID = txID
        self.version = version
        self.timestamp = timestamp
        self.isDelete = isDelete
        self.value = value
    }
}

/// Where a committed transaction is and how it was judged.
public struct TransactionLocation: Sendable, Equatable {
    public var blockNumber: UInt64
    public var position: UInt64
    public var code: Medledger_V1_TxValidationCode

    public init(blockNumber: UInt64, position: UInt64, code: Medledger_V1_TxValidationCode) {
        self.blockNumber = blockNumber
        self.position = position
        self.code = code
    }
}

/// Keys compare by their UTF-8 bytes (SQLite's BINARY collation), not by Swift's Unicode
/// ordering, so every implementation agrees on what a range contains.
public enum StateKeyOrder {
    public static func precedes(_ lhs: String, _ rhs: String) -> Bool {
        lhs.utf8.lexicographicallyPrecedes(rhs.utf8)
    }

    /// True if `key` lies in `[start, end)`; an empty `end` means no upper bound.
    public static func contains(_ key: String, start: String, end: String) -> Bool {
        !precedes(key, start) && (end.isEmpty || precedes(key, end))
    }
}

/// A consistent view of one channel's world state, as committed after some block.
///
/// Chaincode simulation and validation read through this; every implementation (SQLite, in-memory)
/// must answer identically — the conformance tests run the same cases on each.
public protocol StateReader {
    /// The current value and version of `key` in `namespace`, or nil if it does not exist.
    func get(namespace: String, key: String) throws -> VersionedValue?

    /// Entries with keys in `[start, end)` (empty `end`: unbounded) in `StateKeyOrder`, at most `limit`.
    func range(namespace: String, start: String, end: String, limit: Int) throws -> [StateEntry]

    /// Entries whose JSON value matches `query`, in key order, starting after key `bookmark`
    /// (empty: from the beginning), at most `limit`. Values that are not JSON objects never match.
    func query(namespace: String, _ query: RichQuery, after bookmark: String, limit: Int) throws -> [StateEntry]

    /// Every committed change of `key`, oldest first.
    func history(namespace: String, key: String) throws -> [KeyModification]

    /// Where the transaction `txID` was committed, valid or not; nil if it never was.
    func transaction(_ txID: String) throws -> TransactionLocation?

    /// The number of the last block whose updates this state includes; nil before the genesis block.
    func lastAppliedBlock() throws -> UInt64?
}

extension StateKeyOrder {
    /// True if `key` is in Unicode Normalization Form C. State keys must be: two NFC strings are
    /// canonically equivalent only if their bytes are equal, so Swift's `String` equality (used by
    /// dictionaries) and SQLite's byte comparison can never disagree about which key is which.
    public static func isNormalized(_ key: String) -> Bool {
        // ASCII is NFC as it stands; only other keys need the normalizer.
        key.utf8.allSatisfy { $0 < 0x80 } || key.utf8.elementsEqual(key.precomposedStringWithCanonicalMapping.utf8)
    }
}
