public import Foundation
public import GRPCCore
public import Identity
public import Schema

/// A signed-in view of a node's Gateway: evaluate queries and submit transactions as one identity
/// on one channel, with the endorse → sign → submit → commit-status steps done for the caller.
public struct LedgerGateway<Transport: ClientTransport>: Sendable {
    public let gateway: Medledger_V1_Gateway.Client<Transport>
    public let signer: RequestSigner
    public let channel: String
    public let options: CallOptions

    public init(client: GRPCClient<Transport>, signer: RequestSigner, channel: String, options: CallOptions = .defaults) {
        self.gateway = Medledger_V1_Gateway.Client(wrapping: client)
        self.signer = signer
        self.channel = channel
        self.options = options
    }

    /// The outcome of a submitted transaction.
    public struct Committed: Sendable {
        public var txID: String
        /// The chaincode's response at endorsement.
        public var response: Medledger_V1_Response
        /// The validation code and block.
        public var status: Medledger_V1_CommitStatusResponse
    }

    /// Runs `function(args)` as a query; nothing is ordered.
    public func evaluate(_ chaincode: String, _ function: String, _ args: [String] = []) async throws -> Medledger_V1_Response {
        let (signed, txID) = try TransactionProposal.make(
            channel: channel, chaincode: chaincode, function: function, args: args.map { Data($0.utf8) }, signer: signer)
        var request = Medledger_V1_EvaluateRequest()
        request.transactionID = txID
        request.channelID = channel
        request.proposedTransaction = signed
        return try await gateway.evaluate(request, options: options).result ?? .init()
    }

    /// Endorses, signs and submits `function(args)`, then waits for its commit.
    public func submit(
        _ chaincode: String, _ function: String, _ args: [String] = [], transient: [String: Data] = [:]
    ) async throws -> Committed {
        let (txID, response) = try await submitWithoutWaiting(chaincode, function, args, transient: transient)
        return Committed(txID: txID, response: response, status: try await commitStatus(txID))
    }

    /// Endorses, signs and submits `function(args)` without waiting for its commit; returns the
    /// transaction's ID and the chaincode's response at endorsement. `commitStatus` tells the outcome.
    public func submitWithoutWaiting(
        _ chaincode: String, _ function: String, _ args: [String] = [], transient: [String: Data] = [:]
    ) async throws -> (txID: String, response: Medledger_V1_Response) {
        let (signed, txID) = try TransactionProposal.make(
            channel: channel, chaincode: chaincode, function: function, args: args.map { Data($0.utf8) },
            transient: transient, signer: signer)
        let endorsed = try await gateway.endorse(TransactionProposal.endorseRequest(signed, txID: txID, channel: channel), options: options)
        _ = try await gateway.submit(
            TransactionProposal.submitRequest(endorsed, txID: txID, channel: channel, signer: signer), options: options)
        return (txID, endorsed.result ?? .init())
    }

    /// Waits until transaction `txID` of this channel has committed; its validation code and block.
    public func commitStatus(_ txID: String) async throws -> Medledger_V1_CommitStatusResponse {
        var request = Medledger_V1_CommitStatusRequest()
        request.transactionID = txID
        request.channelID = channel
        return try await gateway.commitStatus(request, options: options)
    }
}
