public import GRPCCore
internal import Chaincode
internal import ContentStore
internal import Identity
internal import CertificateAuthority
internal import LedgerCore
internal import Ordering
internal import RecordCrypto

/// The one place where domain errors become gRPC statuses, with messages that name the identity,
/// certificate or role at fault.
public enum StatusMapping {
    public static func rpcError(for error: any Error) -> RPCError {
        switch error {
        case let error as RPCError:
            return error
        case let error as CAError where error == .diskFull:
            return diskFull(error, "the CA could not record it")
        case let error as CAError:
            let code = code(for: error)
            return code == .internalError ? logged(error, "CA storage failed") : RPCError(code: code, message: error.description)
        case let error as MembershipError:
            return RPCError(code: .unauthenticated, message: error.description)
        case let error as SignatureError:
            return RPCError(code: .unauthenticated, message: error.description)
        case let error as GatewayError:
            return RPCError(code: error.code, message: error.description)
        case let error as ChaincodeError:
            switch error {
            case .unknownContract, .unknownFunction: return RPCError(code: .notFound, message: error.description)
            case .stateUnavailable: return RPCError(code: .unavailable, message: error.description)
            case .rejected(let status, let message):
                return RPCError(code: GatewayError.chaincodeRefused(status: status, message: message).code, message: error.description)
            default: return RPCError(code: .invalidArgument, message: error.description)
            }
        case let error as ChannelConfigError:
            return RPCError(code: .invalidArgument, message: error.description)
        case let error as ContentError where ContentErrorStatus.code(for: error) == .resourceExhausted:
            return diskFull(error, "the content could not be stored")
        case let error as ContentError:
            let code = ContentErrorStatus.code(for: error)
            // An I/O failure's description names server paths: it goes to the log, not the client.
            return code == .internalError ? logged(error, "content storage failed") : RPCError(code: code, message: error.description)
        case let error as RecordCryptoError:
            switch error {
            case .invalidSegmentSize, .rangeOutOfBounds: return RPCError(code: .invalidArgument, message: error.description)
            case .sealedStreamInvalid, .keyUnwrapFailed: return RPCError(code: .permissionDenied, message: error.description)
            }
        case is CancellationError:
            return RPCError(code: .cancelled, message: "the call was cancelled")
        case let error as RecordAccessError:
            return RPCError(code: error.code, message: error.description)
        case let error as ExportRefusal:
            switch error { case .invalid(let why): return RPCError(code: .invalidArgument, message: why) }
        case let error as OrderingError:
            return OrdererService.rpcError(error)
        case let error as LedgerError:
            switch error {
            case .invalidQuery: return RPCError(code: .invalidArgument, message: error.description)
            case .diskFull: return diskFull(error, "the ledger could not store it")
            default: return logged(error, "ledger storage failed")
            }
        default:
            return logged(error, "internal error (\(type(of: error)))")
        }
    }

    /// INTERNAL with `summary` for the client and the error itself as the cause, which
    /// `StatusBoundary` logs: what the client is not told, the operator is.
    static func logged(_ error: any Error, _ summary: String) -> RPCError {
        RPCError(code: .internalError, message: "\(summary) (see the node's log)", cause: error)
    }

    /// RESOURCE_EXHAUSTED for a write the node's full disk refused. The client learns what could not
    /// be stored and that nothing of it was kept, never a server path; `StatusBoundary` logs the
    /// cause (which names the file) for the operator.
    static func diskFull(_ error: any Error, _ what: String) -> RPCError {
        RPCError(
            code: .resourceExhausted,
            message: "the node's disk is full: \(what) and nothing of it was kept; retry once space is freed on the node",
            cause: error)
    }

    static func code(for error: CAError) -> RPCError.Code {
        switch error {
        case .invalidHostname, .invalidEnrollmentID, .invalidRole, .invalidRequest, .invalidCSR:
            .invalidArgument
        case .alreadyRegistered:
            .alreadyExists
        case .unknownIdentity, .unknownSerial:
            .notFound
        case .enrollmentDenied:
            .unauthenticated
        case .lockedOut, .enrollmentsExhausted, .identityRevoked:
            .permissionDenied
        case .alreadyRevoked, .notLocked:
            .failedPrecondition
        case .storage:
            .internalError
        case .diskFull:
            .resourceExhausted
        }
    }

    /// Runs `body`, turning any domain error it throws into its gRPC status.
    public static func mapped<T: Sendable>(_ body: () async throws -> T) async throws(RPCError) -> T {
        do { return try await body() } catch { throw rpcError(for: error) }
    }
}
