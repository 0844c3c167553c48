/// The `ehr` contract's name and the chaincode events it emits: what the SDK, the node and
/// listeners match on, spelt once.
public enum EHREvent: String, Sendable, CaseIterable {
    /// A break-glass read; payload `BreakGlassNotice`.
    case breakGlass = "BreakGlass"
    /// An approved erasure; payload `ErasureNotice`. Every node destroys the record's keys.
    case recordErased = "RecordErased"

    /// The name the contract is registered under.
    public static let contractName = "ehr"
}

/// The payload of `RecordErased`: which record, and the CID of its content.
public struct ErasureNotice: Codable, Sendable, Equatable {
    public var recordID: String
    public var cid: String

    public init(recordID: String, cid: String) {
        self.recordID = recordID
        self.cid = cid
    }
}
