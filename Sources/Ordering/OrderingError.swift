public import LedgerCore

/// Why the ordering service refused or failed a submission or a block; the server maps each case
/// to a gRPC status.
public enum OrderingError: Error, CustomStringConvertible, Equatable {
    /// This orderer does not lead the channel; `leader` is the address of the one that does, if known.
    case notLeader(channel: String, leader: String?)
    /// The ordering service cannot order now (leadership lost mid-write; submit again).
    case unavailable(String)
    /// The etcd cluster does not answer: no orderer can order until it has a quorum again.
    case noConsensus(String)
    /// The envelope is larger than the channel or etcd accepts.
    case tooLarge(String)
    /// The envelope fails the orderer's checks.
    case invalidArgument(String)
    /// The creator is not a member or the signature does not verify.
    case badSignature(String)
    /// A configuration change lacks the approvals (or the creator) its channel's admin policy needs.
    case notApproved(String)
    /// A configuration change is not the next version of the channel's configuration.
    case stale(String)
    /// A block failed verification.
    case invalidBlock(String)
    /// A block number arrived before the blocks preceding it.
    case gap(String)
    /// Two different blocks claim the same number: never accepted.
    case fork(String)

    public var description: String {
        switch self {
        case .notLeader(let channel, let leader):
            "this orderer does not lead channel \(channel); " + (leader.map { "the leader is the orderer at \($0)" } ?? "no orderer leads it now")
        case .unavailable(let reason), .noConsensus(let reason), .tooLarge(let reason), .invalidArgument(let reason), .badSignature(let reason),
            .notApproved(let reason), .stale(let reason), .invalidBlock(let reason), .gap(let reason), .fork(let reason):
            reason
        }
    }
}

extension OrderingError {
    /// The ordering error of an envelope the orderer's admission checks refused.
    public init(_ refusal: EnvelopeAdmission.Refusal) {
        switch refusal {
        case .tooLarge(let reason): self = .tooLarge(reason)
        case .invalid(let reason): self = .invalidArgument(reason)
        case .badSignature(let reason): self = .badSignature(reason)
        case .configUpdate(.invalid(let reason)): self = .invalidArgument(reason)
        case .configUpdate(.stale(let reason)): self = .stale(reason)
        case .configUpdate(.notApproved(let reason)): self = .notApproved(reason)
        case .configUpdate(.badSignature(let reason)): self = .badSignature(reason)
        }
    }
}
