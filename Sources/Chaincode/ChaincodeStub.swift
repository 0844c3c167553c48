public import Foundation
public import Identity
public import LedgerCore
public import Schema
internal import Wire

/// One page of a range scan or rich query.
public struct StatePage: Sendable, Equatable {
    /// The entries, in key order (`StateKeyOrder`).
    public var entries: [StateEntry]
    /// Pass back as `bookmark` for the next page; empty when there is none.
    public var nextBookmark: String

    public init(entries: [StateEntry], nextBookmark: String) {
        self.entries = entries
        self.nextBookmark = nextBookmark
    }
}

/// A contract's window on the ledger during one simulation, as Fabric's shim gives it: the proposal
/// (function, arguments, transient data, timestamp, creator) and world state.
///
/// Reads see committed state only: a value the contract put or deleted earlier in the same call
/// is not visible to its later reads (as in Fabric). Nothing is ever written to state; reads and
/// writes are recorded into the read-write set that validation later checks:
/// - point reads once per key, with the version seen (absent if the key did not exist);
/// - range scans (`getStateByRange`, `getStateByPartialCompositeKey`) with every key and version
///   returned, so that validation can detect phantoms;
/// - rich queries (`getQueryResult`) and key history are *not* recorded (as in Fabric): a contract
///   that needs phantom protection must not base its writes on them;
/// - writes one per key, the last one winning.
///
/// Used by one simulation on one thread; not `Sendable`.
public final class ChaincodeStub {
    /// The smallest simple key: what an empty range start stands for, so that ranges over simple
    /// keys never reach composite keys (which start with U+0000).
    static let firstSimpleKey = "\u{1}"

    public let txID: String
    public let channelID: String
    /// The contract being invoked; also the namespace every key of this stub lives in.
    public let contractName: String
    public let function: String
    public let args: [Data]
    /// Private inputs: passed to the contract, never recorded on the ledger.
    public let transient: [String: Data]
    /// The proposal's timestamp: the only clock a contract may use.
    public let timestamp: Medledger_V1_Timestamp
    /// Who signed the proposal.
    public let creator: Identity

    private let state: any StateReader
    private var recorder = ReadWriteRecorder()
    /// The event set by the contract, if any.
    private(set) var event: Medledger_V1_ChaincodeEvent?
    /// The first failure to read world state; if set, the simulation's outcome cannot be trusted.
    private(set) var stateFailure: String?

    init(proposal: Medledger_V1_Proposal, contractName: String, creator: Identity, state: any StateReader) {
        txID = proposal.txID
        channelID = proposal.channelID
        self.contractName = contractName
        function = proposal.input?.function ?? ""
        args = proposal.input?.args ?? []
        transient = proposal.transient
        timestamp = proposal.timestamp ?? Medledger_V1_Timestamp()
        self.creator = creator
        self.state = state
    }

    /// The read-write set recorded so far, or nil if nothing was read or written.
    var readWriteSet: Medledger_V1_ReadWriteSet? {
        recorder.readWriteSet(namespace: contractName)
    }

    // MARK: - Arguments

    /// The arguments as UTF-8 strings; an argument that is not valid UTF-8 rejects the call (400).
    public func stringArgs() throws(ChaincodeError) -> [String] {
        var strings: [String] = []
        for (index, argument) in args.enumerated() {
            guard let string = String(validating: argument, as: UTF8.self) else {
                throw .rejected(status: 400, message: "argument \(index) of \(contractName).\(function) is not valid UTF-8")
            }
            strings.append(string)
        }
        return strings
    }

    // MARK: - Point reads and writes

    /// The committed value of `key`, or nil if it does not exist. Records the version seen.
    public func getState(_ key: String) throws(ChaincodeError) -> Data? {
        try CompositeKey.validate(key)
        let found = try reading { try state.get(namespace: contractName, key: key) }
        recorder.recordRead(key, version: found?.version)
        return found?.value
    }

    /// Sets `key` to `value` when the transaction commits.
    public func putState(_ key: String, _ value: Data) throws(ChaincodeError) {
        try CompositeKey.validate(key)
        recorder.recordWrite(key, value: value)
    }

    /// Deletes `key` when the transaction commits.
    public func deleteState(_ key: String) throws(ChaincodeError) {
        try CompositeKey.validate(key)
        recorder.recordWrite(key, value: nil)
    }

    // MARK: - Ranges

    /// Simple keys in `[start, end)` in key order; an empty `start` or `end` leaves that side open
    /// (composite keys are never included). `pageSize` 0 returns every entry; otherwise at most
    /// `pageSize`, continuing from `bookmark`.
    public func getStateByRange(start: String, end: String, pageSize: Int = 0, bookmark: String = "")
        throws(ChaincodeError) -> StatePage
    {
        try CompositeKey.validateRangeBound(start)
        try CompositeKey.validateRangeBound(end)
        return try scan(start: start.isEmpty ? Self.firstSimpleKey : start, end: end, pageSize: pageSize, bookmark: bookmark)
    }

    /// The composite key of `objectType` and `attributes` (see `CompositeKey`).
    public func createCompositeKey(objectType: String, attributes: [String]) throws(ChaincodeError) -> String {
        try CompositeKey.make(objectType: objectType, attributes: attributes)
    }

    /// The object type and attributes of a composite key.
    public func splitCompositeKey(_ key: String) throws(ChaincodeError) -> (objectType: String, attributes: [String]) {
        try CompositeKey.split(key)
    }

    /// Entries whose composite keys start with `objectType` and `attributes`, recorded as a range
    /// like `getStateByRange`.
    public func getStateByPartialCompositeKey(
        objectType: String, attributes: [String], pageSize: Int = 0, bookmark: String = ""
    ) throws(ChaincodeError) -> StatePage {
        let prefix = try CompositeKey.make(objectType: objectType, attributes: attributes)
        let end = prefix + String(Character(CompositeKey.maxScalar))
        return try scan(start: prefix, end: end, pageSize: pageSize, bookmark: bookmark)
    }

    /// Reads `[start, end)` (after substituting the bookmark, the next page's first key) and
    /// records it. A page cut short by `pageSize` is recorded as ending just after its last key,
    /// with `itrExhausted` false: that is all the contract saw, and all validation re-checks.
    private func scan(start: String, end: String, pageSize: Int, bookmark: String) throws(ChaincodeError) -> StatePage {
        let limit = try Self.fetchLimit(pageSize)
        var from = start
        if !bookmark.isEmpty {
            guard StateKeyOrder.contains(bookmark, start: start, end: end) else {
                throw .invalidArgument("bookmark \(QuotedInput.quote(bookmark)) lies outside the range being scanned")
            }
            from = bookmark
        }
        let found = try reading { try state.range(namespace: contractName, start: from, end: end, limit: limit) }
        if pageSize > 0, found.count > pageSize {
            let page = Array(found.prefix(pageSize))
            recorder.recordRange(start: from, end: page[page.count - 1].key + "\u{0}", exhausted: false, entries: page)
            return StatePage(entries: page, nextBookmark: found[pageSize].key)
        }
        recorder.recordRange(start: from, end: end, exhausted: true, entries: found)
        return StatePage(entries: found, nextBookmark: "")
    }

    // MARK: - Rich queries and history

    /// Entries whose JSON values match a Mango query (`{"selector": {…}}`), in key order, at most
    /// `pageSize` (0: all) after `bookmark`. Not recorded, so not protected against phantoms.
    public func getQueryResult(_ json: String, pageSize: Int = 0, bookmark: String = "") throws(ChaincodeError) -> StatePage {
        let query: RichQuery
        do { query = try RichQuery(json: Data(json.utf8)) } catch { throw .invalidQuery(Self.reason(error)) }
        let limit = try Self.fetchLimit(pageSize)
        let found = try reading { try state.query(namespace: contractName, query, after: bookmark, limit: limit) }
        if pageSize > 0, found.count > pageSize {
            let page = Array(found.prefix(pageSize))
            return StatePage(entries: page, nextBookmark: page[page.count - 1].key)
        }
        return StatePage(entries: found, nextBookmark: "")
    }

    /// Every committed change of `key`, oldest first. Not recorded.
    public func getHistoryForKey(_ key: String) throws(ChaincodeError) -> [KeyModification] {
        try CompositeKey.validate(key)
        return try reading { try state.history(namespace: contractName, key: key) }
    }

    // MARK: - Events

    /// Sets the transaction's event, delivered to listeners once it commits valid. A transaction
    /// has at most one event: a later call replaces an earlier one.
    public func setEvent(name: String, payload: Data = Data()) throws(ChaincodeError) {
        guard !name.isEmpty else { throw .invalidArgument("an event needs a name") }
        var event = Medledger_V1_ChaincodeEvent()
        event.chaincodeName = contractName
        event.txID = txID
        event.eventName = name
        event.payload = payload
        self.event = event
    }

    // MARK: - Helpers

    /// How many entries to fetch for a page: one more than asked, to learn whether more remain.
    private static func fetchLimit(_ pageSize: Int) throws(ChaincodeError) -> Int {
        guard pageSize >= 0 else { throw .invalidArgument("page size \(pageSize) is negative") }
        return pageSize == 0 || pageSize == Int.max ? Int.max : pageSize + 1
    }

    /// Runs a state read; a failure of the store is remembered, so that the dispatcher abandons
    /// the simulation even if the contract catches the error.
    private func reading<T>(_ body: () throws -> T) throws(ChaincodeError) -> T {
        do {
            return try body()
        } catch let error as LedgerError {
            if case .invalidQuery(let why) = error { throw .invalidQuery(why) }
            throw unavailable(error.description)
        } catch {
            throw unavailable("\(error)")
        }
    }

    private func unavailable(_ reason: String) -> ChaincodeError {
        if stateFailure == nil { stateFailure = reason }
        return .stateUnavailable(contract: contractName, function: function, reason: reason)
    }

    private static func reason(_ error: LedgerError) -> String {
        if case .invalidQuery(let why) = error { why } else { error.description }
    }
}
