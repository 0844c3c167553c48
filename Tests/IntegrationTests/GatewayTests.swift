import CertificateAuthority
import Foundation
import GRPCCore
import GRPCNIOTransportHTTP2
import Identity
import LedgerCore
import MedLedgerKit
import MedLedgerTesting
import Schema
import Server
import Testing

/// The ledger over real gRPC + mTLS on loopback: the node's organisation and a second hospital
/// share channel "ehr"; PharmaCo belongs only to channel "research" and must learn nothing of "ehr".
@Suite("Gateway over mTLS")
struct GatewayTests {
    struct Network {
        let running: RunningServer
        let clinicianA: TestUser
        let clinicianB: TestUser
        let analyst: TestUser
    }

    func withNetwork(_ body: (Network) async throws -> Void) async throws {
        try await withRunningServer(ledger: true) { running in
            let hospitalB = try makeOrganization("HospitalBMSP")
            let pharma = try makeOrganization("PharmaCoMSP")
            var batch = Medledger_V1_BatchParameters()
            batch.absoluteMaxBytes = 64 * 1024
            batch.preferredMaxBytes = 32 * 1024
            batch.batchTimeoutMillis = 10
            try await createChannel(running, try channelConfig("ehr", [running.ca, hospitalB], batch: batch))
            try await createChannel(running, try channelConfig("research", [running.ca, pharma]))
            try await body(
                Network(
                    running: running,
                    clinicianA: try TestUser(running.ca, "dr.a", .clinician),
                    clinicianB: try TestUser(hospitalB, "dr.b", .clinician),
                    analyst: try TestUser(pharma, "analyst", .researcher)
                ))
        }
    }

    @Test func twoOrganisationsWriteAndReadAnAsset() async throws {
        try await withNetwork { net in
            let created = try await withGateway(net.running, as: net.clinicianA, channel: "ehr") { gateway in
                try await gateway.submit("asset", "CreateAsset", ["scan-1", #"{"owner":"alice","value":7}"#])
            }
            #expect(created.status.result == .valid)
            #expect(created.status.blockNumber >= 1)

            try await withGateway(net.running, as: net.clinicianB, channel: "ehr") { gateway in
                let read = try await gateway.evaluate("asset", "ReadAsset", ["scan-1"])
                let asset = try JSONSerialization.jsonObject(with: read.payload) as? [String: Any]
                #expect(asset?["owner"] as? String == "alice")
                #expect(asset?["ownerOrg"] as? String == net.running.ca.mspID)

                // The asset belongs to the node's organisation: HospitalB may not transfer it.
                let refused = await #expect(throws: RPCError.self) {
                    try await gateway.submit("asset", "TransferAsset", ["scan-1", "bob"])
                }
                #expect(refused?.code == .permissionDenied)

                let own = try await gateway.submit("asset", "CreateAsset", ["scan-2", #"{"owner":"bob","value":1}"#])
                #expect(own.status.result == .valid)
            }
            try await withGateway(net.running, as: net.clinicianA, channel: "ehr") { gateway in
                let moved = try await gateway.submit("asset", "TransferAsset", ["scan-1", "carol"])
                #expect(moved.status.result == .valid)
                let all = try await gateway.evaluate("asset", "QueryAssetsByOwner", ["carol"])
                #expect(String(decoding: all.payload, as: UTF8.self).contains("scan-1"))
            }
        }
    }

    @Test func anOutsiderLearnsNothingAboutTheChannel() async throws {
        try await withNetwork { net in
            try await withClient(net.running, as: net.analyst) { client in
                let gateway = LedgerGateway(client: client, signer: net.analyst.signer, channel: "ehr", options: callOptions())
                let denied = await #expect(throws: RPCError.self) { try await gateway.evaluate("asset", "ReadAsset", ["scan-1"]) }
                #expect(denied?.code == .permissionDenied)
                let missing = LedgerGateway(client: client, signer: net.analyst.signer, channel: "nosuch", options: callOptions())
                let unknown = await #expect(throws: RPCError.self) { try await missing.evaluate("asset", "ReadAsset", ["scan-1"]) }
                #expect(unknown?.code == .permissionDenied)
                #expect(denied?.message.replacingOccurrences(of: "ehr", with: "nosuch") == unknown?.message)

                var deliver = Medledger_V1_DeliverRequest()
                deliver.channelID = "ehr"
                let blocks = await #expect(throws: RPCError.self) {
                    try await Medledger_V1_Deliver.Client(wrapping: client).blocks(deliver, options: callOptions()) { response in
                        for try await _ in response.messages {}
                    }
                }
                #expect(blocks?.code == .permissionDenied)

                // The analyst's own channel works.
                let research = LedgerGateway(client: client, signer: net.analyst.signer, channel: "research", options: callOptions())
                let committed = try await research.submit("asset", "Put", ["study", "42"])
                #expect(committed.status.result == .valid)
            }
        }
    }

    @Test func concurrentUpdatesOfOneKeyCommitOnce() async throws {
        try await withNetwork { net in
            try await withClient(net.running, as: net.clinicianA) { client in
                let gateway = LedgerGateway(client: client, signer: net.clinicianA.signer, channel: "ehr", options: callOptions())
                _ = try await gateway.submit("asset", "CreateAsset", ["shared", #"{"owner":"a","value":0}"#])
                // Both endorsed against the same version, then submitted: the second is a conflict.
                var submits: [(Medledger_V1_SubmitRequest, String)] = []
                for value in 1...2 {
                    let (signed, txID) = try TransactionProposal.make(
                        channel: "ehr", chaincode: "asset", function: "UpdateAsset",
                        args: [Data("shared".utf8), Data(#"{"owner":"a","value":\#(value)}"#.utf8)], signer: net.clinicianA.signer)
                    let endorsed = try await gateway.gateway.endorse(TransactionProposal.endorseRequest(signed, txID: txID, channel: "ehr"), options: callOptions())
                    submits.append((try TransactionProposal.submitRequest(endorsed, txID: txID, channel: "ehr", signer: net.clinicianA.signer), txID))
                }
                var codes: [Medledger_V1_TxValidationCode] = []
                for (request, txID) in submits {
                    _ = try await gateway.gateway.submit(request, options: callOptions())
                    var status = Medledger_V1_CommitStatusRequest()
                    status.channelID = "ehr"
                    status.transactionID = txID
                    codes.append(try await gateway.gateway.commitStatus(status, options: callOptions()).result)
                }
                #expect(codes == [.valid, .mvccReadConflict])
                let stored = try await gateway.evaluate("asset", "ReadAsset", ["shared"])
                #expect(String(decoding: stored.payload, as: UTF8.self).contains(#""value":1"#))
            }
        }
    }

    @Test func badSubmissionsAreRefusedAndChangeNothing() async throws {
        try await withNetwork { net in
            try await withClient(net.running, as: net.clinicianA) { client in
                let gateway = Medledger_V1_Gateway.Client(wrapping: client)
                let heightBefore = try net.running.ledger!.channelHeight("ehr")

                var garbage = Medledger_V1_SubmitRequest()
                garbage.channelID = "ehr"
                var envelope = Medledger_V1_Envelope()
                envelope.payload = Data([0xff, 0xff, 0xff])
                garbage.preparedTransaction = envelope
                let malformed = await #expect(throws: RPCError.self) { try await gateway.submit(garbage, options: callOptions()) }
                #expect(malformed?.code == .invalidArgument)

                envelope.payload = Data(repeating: 0, count: 100 * 1024)
                garbage.preparedTransaction = envelope
                let oversized = await #expect(throws: RPCError.self) { try await gateway.submit(garbage, options: callOptions()) }
                #expect(oversized?.code == .resourceExhausted)

                // A valid endorsement with a signature by someone other than the creator.
                let (signed, txID) = try TransactionProposal.make(
                    channel: "ehr", chaincode: "asset", function: "Put", args: [Data("k".utf8), Data("v".utf8)], signer: net.clinicianA.signer)
                let endorsed = try await gateway.endorse(TransactionProposal.endorseRequest(signed, txID: txID, channel: "ehr"), options: callOptions())
                let forged = try TransactionProposal.submitRequest(endorsed, txID: txID, channel: "ehr", signer: net.clinicianB.signer)
                let refused = await #expect(throws: RPCError.self) { try await gateway.submit(forged, options: callOptions()) }
                #expect(refused?.code == .unauthenticated)
                #expect(refused?.message.contains("dr.a") == true)

                // A well-signed transaction whose request names another tx ID: a commit waiter
                // would watch the wrong transaction, so it is refused.
                var misnamed = try TransactionProposal.submitRequest(endorsed, txID: txID, channel: "ehr", signer: net.clinicianA.signer)
                misnamed.transactionID = "not-\(txID)"
                let mismatch = await #expect(throws: RPCError.self) { try await gateway.submit(misnamed, options: callOptions()) }
                #expect(mismatch?.code == .invalidArgument)
                #expect(mismatch?.message.contains("transaction_id 'not-\(txID)'") == true)

                var badProposal = Medledger_V1_EndorseRequest()
                badProposal.channelID = "ehr"
                var proposal = Medledger_V1_SignedProposal()
                proposal.proposalBytes = Data([0x0a, 0x10])
                badProposal.proposedTransaction = proposal
                let undecodable = await #expect(throws: RPCError.self) { try await gateway.endorse(badProposal, options: callOptions()) }
                #expect(undecodable?.code == .invalidArgument)

                let unknown = await #expect(throws: RPCError.self) {
                    try await LedgerGateway(client: client, signer: net.clinicianA.signer, channel: "ehr", options: callOptions()).evaluate("nosuch", "Run")
                }
                #expect(unknown?.code == .notFound)
                #expect(unknown?.message.contains("nosuch") == true)

                try await Task.sleep(for: .milliseconds(50))
                #expect(try net.running.ledger!.channelHeight("ehr") == heightBefore)
            }
        }
    }

    @Test func deliverAndEventsFollowTheChain() async throws {
        try await withNetwork { net in
            try await withClient(net.running, as: net.clinicianA) { client in
                let gateway = LedgerGateway(client: client, signer: net.clinicianA.signer, channel: "ehr", options: callOptions())
                _ = try await gateway.submit("asset", "CreateAsset", ["e1", #"{"owner":"x","value":1}"#])
                let moved = try await gateway.submit("asset", "TransferAsset", ["e1", "y"])

                var request = Medledger_V1_DeliverRequest()
                request.channelID = "ehr"
                var stop = Medledger_V1_SeekPosition()
                stop.position = .newest(.init())
                request.stop = stop
                // Whole blocks carry every transaction's arguments and results: a clinician gets
                // filtered blocks only; the node's admin gets whole ones.
                let wholeForClinician = await #expect(throws: RPCError.self) {
                    try await Medledger_V1_Deliver.Client(wrapping: client).blocks(request, options: callOptions()) { response in
                        for try await _ in response.messages {}
                    }
                }
                #expect(wholeForClinician?.code == .permissionDenied)
                #expect(wholeForClinician?.message.contains("ask for filtered blocks") == true, "\(String(describing: wholeForClinician))")
                let blocks = try await withClient(net.running, as: try TestUser(folder: net.running.admin)) { admin in
                    try await Medledger_V1_Deliver.Client(wrapping: admin).blocks(request, options: callOptions()) { response in
                        var blocks: [Medledger_V1_Block] = []
                        for try await message in response.messages { blocks.append(message.block ?? .init()) }
                        return blocks
                    }
                }
                #expect(blocks.map { $0.header?.number ?? 99 } == Array(0..<UInt64(blocks.count)))
                #expect(blocks.last?.header?.number == moved.status.blockNumber)
                #expect(blocks.allSatisfy { $0.metadata?.validationCodes.count == $0.data?.data.count })

                request.filtered = true
                let filtered = try await Medledger_V1_Deliver.Client(wrapping: client).blocks(request, options: callOptions()) { response in
                    var blocks: [Medledger_V1_FilteredBlock] = []
                    for try await message in response.messages { blocks.append(message.filteredBlock ?? .init()) }
                    return blocks
                }
                #expect(filtered.count == blocks.count)
                #expect(filtered.last?.transactions.map(\.txID).contains(moved.txID) == true)
                #expect(filtered.last?.transactions.first { $0.txID == moved.txID }?.validationCode == .valid)

                var events = Medledger_V1_ChaincodeEventsRequest()
                events.channelID = "ehr"
                events.chaincodeName = "asset"
                var start = Medledger_V1_SeekPosition()
                start.position = .oldest(.init())
                events.startPosition = start
                let first = try await Medledger_V1_Gateway.Client(wrapping: client).chaincodeEvents(events, options: callOptions()) {
                    response -> Medledger_V1_ChaincodeEventsResponse? in
                    for try await message in response.messages { return message }
                    return nil
                }
                #expect(first?.events.first?.eventName == "AssetTransferred")
                #expect(first?.events.first?.txID == moved.txID)
                #expect(first?.blockNumber == moved.status.blockNumber)
            }
        }
    }

    /// A SubmitStream step asking to endorse an asset Put of `key` (value: the sequence number).
    static func endorseStep(_ sequence: Int, key: String, signer: RequestSigner) throws -> (step: Medledger_V1_SubmitStreamRequest, txID: String) {
        let (signed, txID) = try TransactionProposal.make(
            channel: "ehr", chaincode: "asset", function: "Put", args: [Data(key.utf8), Data("\(sequence)".utf8)], signer: signer)
        var step = Medledger_V1_SubmitStreamRequest()
        step.sequence = UInt64(sequence)
        step.endorse = TransactionProposal.endorseRequest(signed, txID: txID, channel: "ehr")
        return (step, txID)
    }

    @Test func submitStreamPipelinesEndorseAndSubmit() async throws {
        try await withNetwork { net in
            try await withClient(net.running, as: net.clinicianB) { client in
                let gateway = Medledger_V1_Gateway.Client(wrapping: client)
                let signer = net.clinicianB.signer
                let count = 40
                let outcomes = try await gateway.submitStream(
                    request: StreamingClientRequest { writer in
                        for sequence in 0..<count {
                            try await writer.write(try Self.endorseStep(sequence, key: "stream-\(sequence)", signer: signer).step)
                        }
                    },
                    options: callOptions()
                ) { response in
                    var endorsed: [Medledger_V1_SubmitStreamResponse] = []
                    for try await message in response.messages { endorsed.append(message) }
                    return endorsed
                }
                #expect(outcomes.count == count)
                let prepared = outcomes.compactMap { outcome -> (UInt64, Medledger_V1_EndorseResponse)? in
                    if case .endorsed(let response)? = outcome.outcome { return (outcome.sequence, response) }
                    return nil
                }
                #expect(prepared.count == count)
                let committed = try await gateway.submitStream(
                    request: StreamingClientRequest { writer in
                        for (sequence, endorsed) in prepared {
                            var step = Medledger_V1_SubmitStreamRequest()
                            step.sequence = sequence
                            step.submit = try TransactionProposal.submitRequest(endorsed, txID: "", channel: "ehr", signer: signer)
                            step.submit?.transactionID = outcomes.first { $0.sequence == sequence }?.transactionID ?? ""
                            step.waitForCommit = true
                            try await writer.write(step)
                        }
                    },
                    options: callOptions()
                ) { response in
                    var results: [UInt64: Medledger_V1_TxValidationCode] = [:]
                    for try await message in response.messages {
                        if case .committed(let status)? = message.outcome { results[message.sequence] = status.result }
                        if case .rejected(let why)? = message.outcome { Issue.record("rejected \(message.sequence): \(why.message)") }
                        if case .accepted? = message.outcome { Issue.record("accepted sent for \(message.sequence) though it waits for the commit") }
                    }
                    return results
                }
                #expect(committed.count == count)
                #expect(committed.values.allSatisfy { $0 == .valid })
            }
        }
    }

    @Test func submitStreamTakesBatchesOfStepsAndRefusesMalformedOnes() async throws {
        try await withNetwork { net in
            try await withClient(net.running, as: net.clinicianA) { client in
                let gateway = Medledger_V1_Gateway.Client(wrapping: client)
                let signer = net.clinicianA.signer
                let count = 20
                var txIDs: [UInt64: String] = [:]
                var batch = Medledger_V1_SubmitStreamRequest()
                for sequence in 0..<count {
                    let (step, txID) = try Self.endorseStep(sequence, key: "batch-\(sequence)", signer: signer)
                    batch.steps.append(step)
                    txIDs[UInt64(sequence)] = txID
                }
                // A batch that also sets a step of its own, and a batch nested in a batch.
                var mixed = batch
                mixed.sequence = 900
                mixed.endorse = batch.steps[0].endorse
                var nested = Medledger_V1_SubmitStreamRequest()
                var inner = batch.steps[1]
                inner.sequence = 901
                inner.steps = [batch.steps[2]]
                nested.steps = [inner]

                @Sendable func flatten(_ message: Medledger_V1_SubmitStreamResponse) -> [Medledger_V1_SubmitStreamResponse] {
                    guard !message.outcomes.isEmpty else { return [message] }
                    #expect(message.sequence == 0 && message.outcome == nil && message.transactionID.isEmpty, "a batch of outcomes sets nothing else")
                    return message.outcomes
                }
                let messages = [batch, mixed, nested]
                let endorsed = try await gateway.submitStream(
                    request: StreamingClientRequest { writer in try await writer.write(contentsOf: messages) },
                    options: callOptions()
                ) { response in
                    var outcomes: [Medledger_V1_SubmitStreamResponse] = []
                    for try await message in response.messages { outcomes += flatten(message) }
                    return outcomes
                }
                #expect(endorsed.count == count + 2)
                let refused = endorsed.filter { if case .rejected? = $0.outcome { true } else { false } }
                #expect(Set(refused.map(\.sequence)) == [900, 901])
                for outcome in refused {
                    guard case .rejected(let why)? = outcome.outcome else { continue }
                    #expect(why.code == Int32(RPCError.Code.invalidArgument.rawValue))
                    #expect(why.message.contains("request \(outcome.sequence) sets steps and other fields"))
                }

                var submits = Medledger_V1_SubmitStreamRequest()
                for outcome in endorsed {
                    guard case .endorsed(let response)? = outcome.outcome, let txID = txIDs[outcome.sequence] else { continue }
                    var step = Medledger_V1_SubmitStreamRequest()
                    step.sequence = outcome.sequence
                    step.submit = try TransactionProposal.submitRequest(response, txID: txID, channel: "ehr", signer: signer)
                    step.waitForCommit = true
                    submits.steps.append(step)
                }
                #expect(submits.steps.count == count)
                let submitBatch = submits
                let committed = try await gateway.submitStream(
                    request: StreamingClientRequest { writer in try await writer.write(submitBatch) },
                    options: callOptions()
                ) { response in
                    var results: [UInt64: Medledger_V1_TxValidationCode] = [:]
                    for try await message in response.messages {
                        for outcome in flatten(message) {
                            guard case .committed(let status)? = outcome.outcome else {
                                Issue.record("submit \(outcome.sequence) got \(String(describing: outcome.outcome))")
                                continue
                            }
                            results[outcome.sequence] = status.result
                        }
                    }
                    return results
                }
                #expect(committed.count == count)
                #expect(committed.values.allSatisfy { $0 == .valid })
                let stored = try await LedgerGateway(client: client, signer: signer, channel: "ehr", options: callOptions()).evaluate("asset", "Get", ["batch-7"])
                #expect(String(decoding: stored.payload, as: UTF8.self) == "7")
            }
        }
    }
}
