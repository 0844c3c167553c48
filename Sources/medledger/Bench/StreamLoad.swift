internal import Foundation
internal import GRPCCore
internal import Identity
internal import MedLedgerKit
internal import Schema
internal import Server
internal import Synchronization

/// One client's share of a load run over a single `SubmitStream`: keeps `window` transactions in
/// flight, each endorsed, signed and submitted on the same stream, and records submit→commit
/// latency when the commit outcome arrives. With `interval`, new transactions start at that pace
/// instead of as fast as the window allows.
struct StreamLoad<Transport: ClientTransport>: Sendable {
    let gateway: Medledger_V1_Gateway.Client<Transport>
    let signer: RequestSigner
    let channel: String
    let count: Int
    let window: Int
    let interval: Duration?
    let keyPrefix: String
    let recorder: LatencyRecorder

    private struct Flight: Sendable {
        var txID: String
        var submittedAt: ContinuousClock.Instant?
    }

    func run() async throws {
        // Steps produced while the previous write was in flight go out in one message (a batch).
        let outbox = OutcomeQueue<Medledger_V1_SubmitStreamRequest>()
        let flights = Mutex<[UInt64: Flight]>([:])
        let next = Mutex(0)
        let pacer = interval.map { Pacer(interval: $0) }

        @Sendable func startNext() throws {
            let sequence = next.withLock { value -> Int? in
                guard value < count else { return nil }
                value += 1
                return value - 1
            }
            guard let sequence else { return }
            let (signed, txID) = try TransactionProposal.make(
                channel: channel, chaincode: "asset", function: "Put",
                args: [Data("\(keyPrefix)-\(sequence)".utf8), Data("value-\(sequence)".utf8)], signer: signer)
            flights.withLock { $0[UInt64(sequence)] = Flight(txID: txID, submittedAt: nil) }
            var step = Medledger_V1_SubmitStreamRequest()
            step.sequence = UInt64(sequence)
            step.endorse = TransactionProposal.endorseRequest(signed, txID: txID, channel: channel)
            outbox.yield(step)
        }

        if let pacer {
            // Paced: one starter issues every transaction on schedule; the window is not used.
            Task {
                for _ in 0..<count {
                    await pacer.wait()
                    try? startNext()
                }
            }
        } else {
            for _ in 0..<min(window, count) { try startNext() }
        }

        try await gateway.submitStream(
            request: StreamingClientRequest { writer in
                while let steps = await outbox.next() {
                    if steps.count == 1 {
                        try await writer.write(steps[0])
                    } else {
                        var batch = Medledger_V1_SubmitStreamRequest()
                        batch.steps = steps
                        try await writer.write(batch)
                    }
                }
            }
        ) { response in
            // However the response ends (done, or the server failed), the request side stops too.
            defer { outbox.finish() }
            var finished = 0
            for try await received in response.messages {
                for message in received.outcomes.isEmpty ? [received] : received.outcomes {
                switch message.outcome {
                case .endorsed(let endorsed)?:
                    let flight = flights.withLock { $0[message.sequence] }
                    var step = Medledger_V1_SubmitStreamRequest()
                    step.sequence = message.sequence
                    step.submit = try TransactionProposal.submitRequest(
                        endorsed, txID: flight?.txID ?? "", channel: channel, signer: signer)
                    step.waitForCommit = true
                    flights.withLock { $0[message.sequence]?.submittedAt = .now }
                    outbox.yield(step)
                    continue
                case .accepted?:
                    continue
                case .committed(let status)?:
                    let flight = flights.withLock { $0.removeValue(forKey: message.sequence) }
                    let latency = flight?.submittedAt.map { ContinuousClock.now - $0 } ?? .zero
                    recorder.committed(valid: status.result == .valid, latency: latency)
                case .rejected(let rejection)?:
                    flights.withLock { _ = $0.removeValue(forKey: message.sequence) }
                    recorder.rejected(rejection.message)
                case nil:
                    continue
                }
                finished += 1
                if finished == count {
                    outbox.finish()
                } else if pacer == nil {
                    try startNext()
                }
                }
            }
        }
    }
}

/// Hands out start times spaced `interval` apart.
actor Pacer {
    let interval: Duration
    private var next = ContinuousClock.now

    init(interval: Duration) { self.interval = interval }

    func wait() async {
        let slot = next
        next = next.advanced(by: interval)
        try? await Task.sleep(until: slot, clock: .continuous)
    }
}
