internal import EHRModel
internal import Foundation
public import GRPCCore
public import Identity
internal import Schema

/// The health-record API of a MedLedger network for one identity: typed calls of the `ehr`
/// contract (submitted when they change the ledger or must be audited, evaluated otherwise) plus
/// the content store and key custody, so that a record is encrypted, stored, registered, opened
/// and decrypted in one call each. Encryption happens here, on the client: plaintext never leaves.
public struct HealthRecords<Transport: ClientTransport>: Sendable {
    /// The `ehr` contract's name on the ledger.
    public static var contract: String { EHREvent.contractName }

    public let ledger: LedgerGateway<Transport>
    let content: Medledger_V1_Content.Client<Transport>
    let records: Medledger_V1_Records.Client<Transport>
    let research: Medledger_V1_Research.Client<Transport>

    /// Acts as `signer` on `channel` through `client` (an mTLS connection as the same identity).
    public init(client: GRPCClient<Transport>, signer: RequestSigner, channel: String = "ehr", options: CallOptions = .defaults) {
        ledger = LedgerGateway(client: client, signer: signer, channel: channel, options: options)
        content = Medledger_V1_Content.Client(wrapping: client)
        records = Medledger_V1_Records.Client(wrapping: client)
        research = Medledger_V1_Research.Client(wrapping: client)
    }

    var options: CallOptions { ledger.options }
    var signer: RequestSigner { ledger.signer }

    /// Submits `function(request)` and waits for it to commit VALID; returns its decoded response.
    @discardableResult
    func submit<Response: Decodable>(
        _ function: String, _ request: some Encodable, as: Response.Type = Response.self
    ) async throws -> (response: Response, txID: String) {
        let committed = try await ledger.submit(Self.contract, function, [try Self.json(request)])
        guard committed.status.result == .valid else {
            throw HealthRecordsError.notCommitted(function: function, txID: committed.txID, code: "\(committed.status.result)")
        }
        return (try Self.decode(Response.self, committed.response.payload, function: function), committed.txID)
    }

    /// Evaluates `function(request)` (nothing is ordered); returns its decoded response.
    func evaluate<Response: Decodable>(
        _ function: String, _ request: some Encodable, as: Response.Type = Response.self
    ) async throws -> Response {
        let response = try await ledger.evaluate(Self.contract, function, [try Self.json(request)])
        return try Self.decode(Response.self, response.payload, function: function)
    }

    static func json(_ request: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(request), as: UTF8.self)
    }

    /// The purpose of use `code` names ("TREAT", "ETREAT", "HRESCH").
    static func purpose(_ code: String) throws -> Purpose {
        guard let purpose = Purpose(rawValue: code) else {
            throw HealthRecordsError.invalidArgument("purpose '\(code)' is not one of \(Purpose.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return purpose
    }

    static func decode<T: Decodable>(_ type: T.Type, _ payload: Data, function: String) throws -> T {
        do { return try JSONDecoder().decode(type, from: payload) } catch {
            throw HealthRecordsError.unexpectedResponse(function: function, reason: "\(error)")
        }
    }
}

/// Why a health-record call failed on the client side (the server's refusals arrive as `RPCError`).
public enum HealthRecordsError: Error, CustomStringConvertible {
    /// The transaction was ordered but did not commit as VALID.
    case notCommitted(function: String, txID: String, code: String)
    /// The contract answered with something this SDK cannot read.
    case unexpectedResponse(function: String, reason: String)
    /// The decrypted record does not match the SHA-256 the ledger recorded.
    case integrityMismatch(recordID: String, expected: String, actual: String)
    /// A certificate or key could not be used for key wrapping.
    case unusableKey(String)
    /// An argument the contract would refuse, caught before anything is sent.
    case invalidArgument(String)

    public var description: String {
        switch self {
        case .notCommitted(let function, let txID, let code): "\(function) (transaction \(txID)) committed as \(code), not VALID"
        case .unexpectedResponse(let function, let reason): "\(function) returned an unreadable response: \(reason)"
        case .integrityMismatch(let recordID, let expected, let actual):
            "record '\(recordID)' decrypted to SHA-256 \(actual), but the ledger recorded \(expected)"
        case .unusableKey(let why), .invalidArgument(let why): why
        }
    }
}

/// A response whose content the caller does not need.
struct AnyJSON: Decodable {
    init(from decoder: any Decoder) throws {}
}
