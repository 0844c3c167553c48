internal import Foundation
internal import GRPCCore
internal import Identity
internal import LedgerCore
internal import Schema
internal import Synchronization
internal import Wire

/// The `medledger.v1.Gateway` service: endorse, submit, follow commits and evaluate on the
/// channels of a `LedgerNode`. Every call first checks that the caller's organisation is a member
/// of the channel; outsiders get PERMISSION_DENIED whether or not the channel exists.
struct GatewayService: Medledger_V1_Gateway.SimpleServiceProtocol {
    static let serviceName = "medledger.v1.Gateway"
    /// Requests of one SubmitStream processed at the same time.
    static let streamConcurrency = 128

    let node: LedgerNode

    func endorse(request: Medledger_V1_EndorseRequest, context: ServerContext) async throws -> Medledger_V1_EndorseResponse {
        try await StatusMapping.mapped { try await endorse(request) }
    }

    func submit(request: Medledger_V1_SubmitRequest, context: ServerContext) async throws -> Medledger_V1_SubmitResponse {
        try await StatusMapping.mapped {
            try await submit(request)
            return Medledger_V1_SubmitResponse()
        }
    }

    func commitStatus(request: Medledger_V1_CommitStatusRequest, context: ServerContext) async throws -> Medledger_V1_CommitStatusResponse {
        try await StatusMapping.mapped {
            try await commitStatus(channel: channel(request.channelID), txID: request.transactionID)
        }
    }

    func evaluate(request: Medledger_V1_EvaluateRequest, context: ServerContext) async throws -> Medledger_V1_EvaluateResponse {
        try await StatusMapping.mapped {
            var response = Medledger_V1_EvaluateResponse()
            response.result = try channel(request.channelID).peer.evaluate(try signedProposal(request.proposedTransaction), now: Date())
            return response
        }
    }

    func chaincodeEvents(
        request: Medledger_V1_ChaincodeEventsRequest,
        response: RPCWriter<Medledger_V1_ChaincodeEventsResponse>,
        context: ServerContext
    ) async throws {
        try await StatusMapping.mapped {
            let caller = try CallerIdentity.required()
            let channel = try node.channel(request.channelID, for: caller)
            guard !request.chaincodeName.isEmpty else { throw GatewayError.invalidArgument("chaincode_name is required") }
            let start = try BlockPositions.start(request.startPosition, default: .nextCommit, height: channel.chain.height)
            try await FollowingStreams.untilRPCCancelled {
                var skipping = !request.afterTransactionID.isEmpty
                try await BlockPositions.follow(channel.chain, from: start, through: nil, waitForNew: true) { block in
                    var events = channel.peer.events(ChaincodeEvents.valid(in: block, chaincode: request.chaincodeName), visibleTo: caller)
                    if skipping, block.header?.number == start {
                        if let index = events.firstIndex(where: { $0.txID == request.afterTransactionID }) {
                            events.removeFirst(index + 1)
                        }
                    }
                    skipping = false
                    guard !events.isEmpty else { return }
                    var message = Medledger_V1_ChaincodeEventsResponse()
                    message.events = events
                    message.blockNumber = block.header?.number ?? 0
                    try await response.write(message)
                }
            }
        }
    }

    func submitStream(
        request: RPCAsyncSequence<Medledger_V1_SubmitStreamRequest, any Error>,
        response: RPCWriter<Medledger_V1_SubmitStreamResponse>,
        context: ServerContext
    ) async throws {
        let sink = OutcomeQueue<Medledger_V1_SubmitStreamResponse>()
        let clientBatches = BatchingClient()
        try await withThrowingTaskGroup(of: Void.self) { group in
            // On any exit, including a failed read of the request stream, release the writer.
            defer { sink.finish() }
            group.addTask {
                // Everything that piled up while the last write was in flight goes out in one
                // write: one message to a client that batches, else one message per outcome.
                while let outcomes = await sink.next() {
                    if outcomes.count > 1, clientBatches.isSet {
                        var batch = Medledger_V1_SubmitStreamResponse()
                        batch.outcomes = outcomes
                        try await response.write(batch)
                    } else {
                        try await response.write(contentsOf: outcomes)
                    }
                }
            }
            try await withThrowingTaskGroup(of: Void.self) { steps in
                var inFlight = 0
                for try await message in request {
                    if !message.steps.isEmpty { clientBatches.set() }
                    for step in Self.steps(of: message) {
                        if inFlight >= Self.streamConcurrency {
                            try await steps.next()
                            inFlight -= 1
                        }
                        steps.addTask { await self.handle(step, sink: sink) }
                        inFlight += 1
                    }
                }
                try await steps.waitForAll()
            }
            sink.finish()
            try await group.waitForAll()
        }
    }

    /// The steps a stream message carries: itself, or its batch. A batch message that also sets
    /// a step of its own becomes one step that `handle` refuses, naming its sequence number.
    private static func steps(of message: Medledger_V1_SubmitStreamRequest) -> [Medledger_V1_SubmitStreamRequest] {
        guard !message.steps.isEmpty else { return [message] }
        let setsOwnStep = message.sequence != 0 || message.endorse != nil || message.submit != nil || message.waitForCommit
        return setsOwnStep ? [message] : message.steps
    }

    // MARK: - Shared steps

    private func handle(_ step: Medledger_V1_SubmitStreamRequest, sink: OutcomeQueue<Medledger_V1_SubmitStreamResponse>) async {
        var outcome = Medledger_V1_SubmitStreamResponse()
        outcome.sequence = step.sequence
        do {
            guard step.steps.isEmpty else {
                throw RPCError(
                    code: .invalidArgument,
                    message: "request \(step.sequence) sets steps and other fields; a batch sets steps only, one level deep")
            }
            switch (step.endorse, step.submit) {
            case (let endorse?, nil):
                outcome.transactionID = endorse.transactionID
                let endorsed = try await StatusMapping.mapped { try await self.endorse(endorse) }
                outcome.outcome = .endorsed(endorsed)
                sink.yield(outcome)
            case (nil, let submit?):
                outcome.transactionID = submit.transactionID
                // A client waiting for the commit gets only that: one message per submit, not two.
                if !step.waitForCommit {
                    try await StatusMapping.mapped { try await self.submit(submit) }
                    outcome.outcome = .accepted(Medledger_V1_SubmitResponse())
                } else {
                    outcome.outcome = .committed(try await StatusMapping.mapped { try await self.submitAndWait(submit) })
                }
                sink.yield(outcome)
            default:
                throw RPCError(code: .invalidArgument, message: "request \(step.sequence) must set exactly one of endorse and submit")
            }
        } catch {
            let status = StatusMapping.rpcError(for: error)
            var rejection = Medledger_V1_SubmitRejection()
            rejection.code = Int32(status.code.rawValue)
            rejection.message = status.message
            outcome.outcome = .rejected(rejection)
            sink.yield(outcome)
        }
    }

    private func endorse(_ request: Medledger_V1_EndorseRequest) async throws -> Medledger_V1_EndorseResponse {
        let started = ContinuousClock.now
        let endorsed = try await channel(request.channelID).endorse(
            try signedProposal(request.proposedTransaction), organizations: request.endorsingOrganizations, now: Date())
        NodeMetrics.current?.endorsed(channel: request.channelID, after: started.duration(to: .now))
        return endorsed
    }

    private func submit(_ request: Medledger_V1_SubmitRequest) async throws {
        let started = ContinuousClock.now
        try await channel(request.channelID).submit(try envelopeBytes(request), declaredTxID: request.transactionID)
        NodeMetrics.current?.ordered(request.transactionID, channel: request.channelID, after: started.duration(to: .now), submittedAt: started)
    }

    private func envelopeBytes(_ request: Medledger_V1_SubmitRequest) throws -> Data {
        guard let envelope = request.preparedTransaction else {
            throw GatewayError.invalidArgument("prepared_transaction is required")
        }
        return envelope.serializedData()
    }

    /// Submits and waits for the commit, watching for it from before the orderer has it, so the
    /// outcome needs no transaction-index lookup.
    private func submitAndWait(_ request: Medledger_V1_SubmitRequest) async throws -> Medledger_V1_CommitStatusResponse {
        let channel = try channel(request.channelID)
        let ticket = try await channel.submitWatchingCommit(try envelopeBytes(request), declaredTxID: request.transactionID)
        return try commitStatus(ticket.txID, at: try await channel.peer.waitForCommit(ticket), on: channel)
    }

    private func commitStatus(channel: ChannelLedger, txID: String) async throws -> Medledger_V1_CommitStatusResponse {
        guard !txID.isEmpty else { throw GatewayError.invalidArgument("transaction_id is required") }
        return try commitStatus(txID, at: try await channel.peer.commitStatus(txID), on: channel)
    }

    private func commitStatus(_ txID: String, at location: TransactionLocation?, on channel: ChannelLedger) throws -> Medledger_V1_CommitStatusResponse {
        guard let location else {
            if let reason = channel.stoppedCommitting {
                throw GatewayError.unavailable(
                    "channel \(channel.context.channelID) stopped committing before \(txID) committed: \(reason); restart the node to recover from its block store")
            }
            throw GatewayError.unavailable("the node is shutting down before \(txID) committed")
        }
        var status = Medledger_V1_CommitStatusResponse()
        status.result = location.code
        status.blockNumber = location.blockNumber
        return status
    }

    private func channel(_ id: String) throws -> ChannelLedger {
        try node.channel(id, for: CallerIdentity.required())
    }

    private func signedProposal(_ signed: Medledger_V1_SignedProposal?) throws -> Medledger_V1_SignedProposal {
        guard let signed, !signed.proposalBytes.isEmpty else {
            throw GatewayError.invalidArgument("proposed_transaction.proposal_bytes is required")
        }
        return signed
    }
}

/// Set once a SubmitStream's client sends a batch of steps: it reads batches of outcomes too.
private final class BatchingClient: Sendable {
    private let flag = Atomic(false)

    var isSet: Bool { flag.load(ordering: .relaxed) }

    func set() { flag.store(true, ordering: .relaxed) }
}

extension HostedService {
    /// The Gateway service over `node`.
    public static func gateway(node: LedgerNode) -> HostedService {
        HostedService(name: GatewayService.serviceName, service: GatewayService(node: node))
    }
}
