/// Errors of the ledger's storage and bookkeeping; each message says which block or key.
public enum LedgerError: Error, Equatable, CustomStringConvertible {
    /// A state update arrived for a block other than the next one.
    case outOfOrderUpdate(expected: UInt64, got: UInt64)
    /// A block appended to the block store is not the next one of the chain.
    case outOfOrderBlock(expected: UInt64, got: UInt64)
    /// A stored block or its derived data is unreadable or inconsistent.
    case corrupted(block: UInt64?, reason: String)
    /// The storage engine failed.
    case storage(String)
    /// The file system holding a database has no space left; the transaction was rolled back.
    case diskFull(String)
    /// A rich query is not valid JSON or uses an unsupported operator.
    case invalidQuery(String)

    public var description: String {
        switch self {
        case .outOfOrderUpdate(let expected, let got): "state update for block \(got) applied where block \(expected) was expected"
        case .outOfOrderBlock(let expected, let got): "block \(got) appended where block \(expected) was expected"
        case .corrupted(let block, let reason): "block \(block.map(String.init) ?? "?"): \(reason)"
        case .storage(let why): "ledger storage failed: \(why)"
        case .diskFull(let database): "ledger storage failed: \(database): no space left on the device"
        case .invalidQuery(let why): "invalid rich query: \(why)"
        }
    }
}
