public import GRPCCore
internal import Wire

/// Why a Gateway, Deliver or Admin call was refused; each case has one gRPC status.
public enum GatewayError: Error, Equatable, CustomStringConvertible {
    /// The channel does not exist or the caller's organisation is not a member (never told apart,
    /// so a non-member learns nothing).
    case notMember(channel: String, mspID: String)
    /// A field of the request is missing or malformed; the message names it.
    case invalidArgument(String)
    /// The signed proposal or envelope does not prove a valid member signed it.
    case badSignature(String)
    /// A submission exceeds a size limit.
    case tooLarge(String)
    /// The chaincode refused the proposal (status ≥ 400).
    case chaincodeRefused(status: Int32, message: String)
    /// The named contract or function is not installed.
    case notFound(String)
    /// The channel already exists.
    case alreadyExists(String)
    /// The node is shutting down or cannot serve the request now.
    case unavailable(String)
    /// The caller may not do this (a configuration change without the approvals its policy needs).
    case permissionDenied(String)
    /// The request does not apply to the channel's current state (a configuration change of an
    /// older version).
    case failedPrecondition(String)
    /// Peers of different organisations simulated different results for the same proposal.
    case aborted(String)
    /// The node's disk is full: it takes no new writes until space is freed.
    case diskFull(String)

    public var description: String {
        switch self {
        case .notMember(let channel, let msp): "channel \(QuotedInput.quote(channel)) does not exist or \(msp) is not a member of it"
        case .invalidArgument(let why): why
        case .badSignature(let why): why
        case .tooLarge(let why): why
        case .chaincodeRefused(let status, let message): "chaincode returned status \(status): \(message)"
        case .notFound(let why): why
        case .alreadyExists(let why): why
        case .unavailable(let why): why
        case .permissionDenied(let why): why
        case .failedPrecondition(let why): why
        case .aborted(let why): why
        case .diskFull(let why): why
        }
    }

    /// Another node's refusal (`error`) as this node relays it, in `message`, keeping its status class.
    init(relaying error: RPCError, as message: String) {
        switch error.code {
        case .invalidArgument: self = .invalidArgument(message)
        case .unauthenticated: self = .badSignature(message)
        case .permissionDenied: self = .permissionDenied(message)
        case .failedPrecondition: self = .failedPrecondition(message)
        case .resourceExhausted: self = .tooLarge(message)
        case .notFound: self = .notFound(message)
        case .aborted: self = .aborted(message)
        default: self = .unavailable(message)
        }
    }

    public var code: RPCError.Code {
        switch self {
        case .notMember: .permissionDenied
        case .invalidArgument: .invalidArgument
        case .badSignature: .unauthenticated
        case .tooLarge, .diskFull: .resourceExhausted
        case .chaincodeRefused(let status, _):
            switch status {
            case 404: .notFound
            case 403: .permissionDenied
            case 409: .alreadyExists
            case 400: .invalidArgument
            case 400..<500: .failedPrecondition
            default: .aborted
            }
        case .notFound: .notFound
        case .alreadyExists: .alreadyExists
        case .unavailable: .unavailable
        case .permissionDenied: .permissionDenied
        case .failedPrecondition: .failedPrecondition
        case .aborted: .aborted
        }
    }
}
