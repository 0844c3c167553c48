public import Foundation
public import Identity
public import LedgerCore
public import Schema

/// One function of a contract: runs against the stub of one simulation and returns the response.
///
/// Return `.success(_:)` or a status of 400 and up (or throw `ChaincodeError.rejected`) to refuse
/// the call; any other error thrown becomes status 500.
public typealias ContractFunction = @Sendable (ChaincodeStub) throws -> Medledger_V1_Response

/// A smart contract (chaincode): a named set of functions over its own namespace of world state.
///
/// Contracts must be deterministic: every endorsing peer must compute the same read-write set and
/// response from the same proposal and state. So a function may use nothing but its stub — no
/// clock (use `stub.timestamp`), no randomness, no I/O, no global mutable state.
public protocol Contract: Sendable {
    /// The contract's name, which is also the namespace of its state keys.
    var name: String { get }
    /// The functions clients may invoke, by name. Read once, when the contract is registered.
    var functions: [String: ContractFunction] { get }
    /// JSON fields (dotted paths) of state values that the store should index for rich queries.
    var indexedFields: [String] { get }
    /// Whether `caller` may receive `event` (committed, set by this contract) on
    /// `Gateway.ChaincodeEvents`; `state` is the committed world state. An event may name what
    /// not every member may see, so the contract that set it decides. By default every member may.
    func mayReceive(_ event: Medledger_V1_ChaincodeEvent, caller: Identity, state: any StateReader) -> Bool
}

extension Contract {
    public var indexedFields: [String] { [] }

    public func mayReceive(_ event: Medledger_V1_ChaincodeEvent, caller: Identity, state: any StateReader) -> Bool { true }
}

extension Medledger_V1_Response {
    /// A status 200 response carrying `payload`.
    public static func success(_ payload: Data = Data()) -> Medledger_V1_Response {
        var response = Medledger_V1_Response()
        response.status = 200
        response.payload = payload
        return response
    }

    /// An error response: `status` should be 400 and up (400 client error, 500 chaincode error).
    public static func failure(status: Int32, _ message: String) -> Medledger_V1_Response {
        var response = Medledger_V1_Response()
        response.status = status
        response.message = message
        return response
    }

    /// True for a status from 200 up to 400, the responses an endorser signs.
    public var isSuccess: Bool { (200..<400).contains(status) }
}
