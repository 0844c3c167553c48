import Foundation
import GRPCCore
import Identity
import LedgerCore
import MedLedgerKit
import Schema
import Wire
import EHRModel

/// Every RPC of every service, and hostile requests for each with the status each must get.
enum HostileInputCases {
    /// Each method, how it streams, and a demo identity it is open to (so that what is judged
    /// is the input, not the caller).
    static let methods: [(method: MethodDescriptor, shape: CallShape, caller: String)] = [
        (Grpc_Health_V1_Health.Method.Check.descriptor, .unary, "dr-alice"),
        (Grpc_Health_V1_Health.Method.List.descriptor, .unary, "dr-alice"),
        (Grpc_Health_V1_Health.Method.Watch.descriptor, .serverStreaming, "dr-alice"),
        (Medledger_V1_CertificateAuthority.Method.Register.descriptor, .unary, "hospitala-admin"),
        (Medledger_V1_CertificateAuthority.Method.Enroll.descriptor, .unary, "dr-alice"),
        (Medledger_V1_CertificateAuthority.Method.Reenroll.descriptor, .unary, "dr-alice"),
        (Medledger_V1_CertificateAuthority.Method.Revoke.descriptor, .unary, "hospitala-admin"),
        (Medledger_V1_CertificateAuthority.Method.GetCRL.descriptor, .unary, "dr-alice"),
        (Medledger_V1_CertificateAuthority.Method.GetCAInfo.descriptor, .unary, "dr-alice"),
        (Medledger_V1_CertificateAuthority.Method.ListIdentities.descriptor, .unary, "hospitala-admin"),
        (Medledger_V1_CertificateAuthority.Method.Unlock.descriptor, .unary, "hospitala-admin"),
        (Medledger_V1_Content.Method.Add.descriptor, .clientStreaming, "dr-alice"),
        (Medledger_V1_Content.Method.Cat.descriptor, .serverStreaming, "dr-alice"),
        (Medledger_V1_Content.Method.Stat.descriptor, .unary, "dr-alice"),
        (Medledger_V1_Content.Method.Pin.descriptor, .unary, "dr-alice"),
        (Medledger_V1_Content.Method.Unpin.descriptor, .unary, "dr-alice"),
        (Medledger_V1_Content.Method.ListPins.descriptor, .unary, "dr-alice"),
        (Medledger_V1_Content.Method.GC.descriptor, .unary, "hospitala-admin"),
        (Medledger_V1_Content.Method.ExportCAR.descriptor, .serverStreaming, "dr-alice"),
        (Medledger_V1_Content.Method.ImportCAR.descriptor, .clientStreaming, "dr-alice"),
        (Medledger_V1_Content.Method.GetBlock.descriptor, .unary, "dr-alice"),
        (Medledger_V1_Gateway.Method.Endorse.descriptor, .unary, "dr-alice"),
        (Medledger_V1_Gateway.Method.Submit.descriptor, .unary, "dr-alice"),
        (Medledger_V1_Gateway.Method.CommitStatus.descriptor, .unary, "dr-alice"),
        (Medledger_V1_Gateway.Method.Evaluate.descriptor, .unary, "dr-alice"),
        (Medledger_V1_Gateway.Method.ChaincodeEvents.descriptor, .serverStreaming, "dr-alice"),
        (Medledger_V1_Gateway.Method.SubmitStream.descriptor, .bidirectional, "dr-alice"),
        (Medledger_V1_Deliver.Method.Blocks.descriptor, .serverStreaming, "dr-alice"),
        (Medledger_V1_Admin.Method.CreateChannel.descriptor, .unary, "hospitala-admin"),
        (Medledger_V1_Admin.Method.ListChannels.descriptor, .unary, "hospitala-admin"),
        (Medledger_V1_Admin.Method.GetChannelConfig.descriptor, .unary, "hospitala-admin"),
        (Medledger_V1_Admin.Method.JoinChannel.descriptor, .unary, "hospitala-admin"),
        (Medledger_V1_Admin.Method.UpdateChannelConfig.descriptor, .unary, "hospitala-admin"),
        (Medledger_V1_Records.Method.GetCustodian.descriptor, .unary, "dr-alice"),
        (Medledger_V1_Records.Method.DepositKeys.descriptor, .unary, "dr-alice"),
        (Medledger_V1_Records.Method.ReleaseKey.descriptor, .unary, "dr-alice"),
        (Medledger_V1_Records.Method.SealContent.descriptor, .clientStreaming, "dr-alice"),
        (Medledger_V1_Records.Method.ReadContent.descriptor, .serverStreaming, "dr-alice"),
        (Medledger_V1_Records.Method.ShredKeys.descriptor, .unary, "hospitala-admin"),
        (Medledger_V1_Records.Method.HoldReplica.descriptor, .unary, nodeCaller),
        (Medledger_V1_Research.Method.Export.descriptor, .serverStreaming, "researcher"),
    ]

    /// The caller that is the node itself (its TLS identity, role peer), as another node calls.
    static let nodeCaller = "the node's TLS identity"

    static let huge = String(repeating: "x", count: 1 << 20)
    static let nul = "a\u{0}b"
    /// Field 1 as a length-delimited value that is not UTF-8 (where the schema has a string).
    static let notUTF8 = RawField.lengthDelimited(1, [0xFF, 0xFE, 0x41])

    /// For every method: a message over the 4 MiB limit (RESOURCE_EXHAUSTED naming it) and bytes
    /// that are no protobuf (INVALID_ARGUMENT); for streaming requests, also an oversized second
    /// message after a harmless first one.
    static func everyMethod() -> [HostileCase] {
        methods.flatMap { method, shape, _ -> [HostileCase] in
            let oversized = RawField.lengthDelimited(15, [UInt8](repeating: 0x41, count: 4 << 20))
            var cases = [
                HostileCase(method: method, value: "a 4 MiB + 8 B message", messages: [oversized], expected: .resourceExhausted, mentions: "4194304"),
                HostileCase(method: method, value: "a truncated field", messages: [[0x0A, 0x05, 0x41]], expected: .invalidArgument),
            ]
            if let first = harmlessFirstMessage[method.fullyQualifiedMethod] {
                cases.append(
                    HostileCase(
                        method: method, value: "an oversized second message", messages: [first, oversized],
                        expected: .resourceExhausted, mentions: "4194304"))
            }
            return cases
        }
    }

    /// The patient `HostileInputTests` registers, so that a sealing stream gets past its header.
    static let patientID = "P-HOSTILE"

    /// For each streaming request, a first message the server takes and then reads on.
    static let harmlessFirstMessage: [String: [UInt8]] = [
        Medledger_V1_Content.Method.Add.descriptor.fullyQualifiedMethod: Medledger_V1_AddRequest.with { $0.options = .init() }.bytes,
        Medledger_V1_Content.Method.ImportCAR.descriptor.fullyQualifiedMethod: [],
        Medledger_V1_Records.Method.SealContent.descriptor.fullyQualifiedMethod:
            Medledger_V1_SealContentRequest.with { $0.header = .with { $0.channelID = "ehr"; $0.patientID = patientID } }.bytes,
        Medledger_V1_Gateway.Method.SubmitStream.descriptor.fullyQualifiedMethod: Medledger_V1_SubmitStreamRequest.with { $0.sequence = 1 }.bytes,
    ]

    /// Hostile field values, method by method.
    static func fieldValues(signer: RequestSigner) throws -> [HostileCase] {
        var cases: [HostileCase] = []
        func add(_ method: MethodDescriptor, _ value: String, _ message: [UInt8], _ expected: RPCError.Code) {
            cases.append(HostileCase(method: method, value: value, messages: [message], expected: expected))
        }
        typealias Health = Grpc_Health_V1_Health.Method
        typealias CA = Medledger_V1_CertificateAuthority.Method
        typealias Content = Medledger_V1_Content.Method
        typealias Gateway = Medledger_V1_Gateway.Method
        typealias Records = Medledger_V1_Records.Method

        for (name, value) in [("a 1 MiB string", huge), ("a NUL", nul)] {
            add(Health.Check.descriptor, "service \(name)", Grpc_Health_V1_HealthCheckRequest.with { $0.service = value }.bytes, .notFound)
            add(CA.Register.descriptor, "enrollment_id \(name)", Medledger_V1_RegisterRequest.with { $0.enrollmentID = value; $0.role = .clinician }.bytes, .invalidArgument)
            add(CA.GetCAInfo.descriptor, "msp_id \(name)", Medledger_V1_GetCAInfoRequest.with { $0.mspID = value }.bytes, .notFound)
            add(CA.GetCRL.descriptor, "msp_id \(name)", Medledger_V1_GetCRLRequest.with { $0.mspID = value }.bytes, .notFound)
            add(CA.Revoke.descriptor, "enrollment_id \(name)", Medledger_V1_RevokeRequest.with { $0.enrollmentID = value }.bytes, .notFound)
            add(Content.Stat.descriptor, "cid \(name)", Medledger_V1_StatRequest.with { $0.cid = value }.bytes, .invalidArgument)
            add(Content.GetBlock.descriptor, "cid \(name)", Medledger_V1_GetBlockRequest.with { $0.cid = value }.bytes, .invalidArgument)
            add(Content.Pin.descriptor, "cid \(name)", Medledger_V1_PinRequest.with { $0.cid = value }.bytes, .invalidArgument)
            add(Content.Cat.descriptor, "cid \(name)", Medledger_V1_CatRequest.with { $0.cid = value }.bytes, .invalidArgument)
            add(Content.ExportCAR.descriptor, "a root \(name)", Medledger_V1_ExportCARRequest.with { $0.roots = [value] }.bytes, .invalidArgument)
            add(Gateway.Endorse.descriptor, "channel_id \(name)", Medledger_V1_EndorseRequest.with { $0.channelID = value }.bytes, .permissionDenied)
            add(Gateway.CommitStatus.descriptor, "channel_id \(name)", Medledger_V1_CommitStatusRequest.with { $0.channelID = value }.bytes, .permissionDenied)
            add(Gateway.ChaincodeEvents.descriptor, "channel_id \(name)", Medledger_V1_ChaincodeEventsRequest.with { $0.channelID = value }.bytes, .permissionDenied)
            add(Medledger_V1_Deliver.Method.Blocks.descriptor, "channel_id \(name)", Medledger_V1_DeliverRequest.with { $0.channelID = value }.bytes, .permissionDenied)
            add(Medledger_V1_Admin.Method.GetChannelConfig.descriptor, "channel_id \(name)", Medledger_V1_GetChannelConfigRequest.with { $0.channelID = value }.bytes, .permissionDenied)
            add(Records.GetCustodian.descriptor, "msp_id \(name)", Medledger_V1_GetCustodianRequest.with { $0.mspID = value }.bytes, .notFound)
            add(Records.ReleaseKey.descriptor, "transaction_id \(name)", Medledger_V1_ReleaseKeyRequest.with { $0.channelID = "ehr"; $0.transactionID = value }.bytes, .notFound)
            add(Records.ReadContent.descriptor, "transaction_id \(name)", Medledger_V1_ReleaseKeyRequest.with { $0.channelID = "ehr"; $0.transactionID = value }.bytes, .notFound)
            add(Records.ShredKeys.descriptor, "record_id \(name)", Medledger_V1_ShredKeysRequest.with { $0.channelID = "ehr"; $0.recordID = value }.bytes, .invalidArgument)
            add(Records.HoldReplica.descriptor, "cid \(name)", Medledger_V1_HoldReplicaRequest.with { $0.channelID = "ehr"; $0.cid = value }.bytes, .invalidArgument)
            add(Records.DepositKeys.descriptor, "cid \(name)", Medledger_V1_DepositKeysRequest.with { $0.channelID = "ehr"; $0.cid = value }.bytes, .invalidArgument)
            add(Medledger_V1_Research.Method.Export.descriptor, "study_id \(name)", Medledger_V1_ExportRequest.with { $0.channelID = "ehr"; $0.studyID = value }.bytes, .invalidArgument)
            cases.append(
                HostileCase(
                    method: Records.SealContent.descriptor, value: "patient_id \(name)",
                    messages: [Medledger_V1_SealContentRequest.with { $0.header = .with { $0.channelID = "ehr"; $0.patientID = value } }.bytes],
                    expected: .invalidArgument))
            // Contract input: the ehr contract's ID rules, through a correctly signed proposal.
            let (signed, txID) = try TransactionProposal.make(
                channel: "ehr", chaincode: "ehr", function: "GetPatient", args: [Data(#"{"patientID":"\#(value.replacingOccurrences(of: "\u{0}", with: "\\u0000"))"}"#.utf8)],
                signer: signer)
            add(Gateway.Evaluate.descriptor, "an ehr patientID \(name)", Medledger_V1_EvaluateRequest.with {
                $0.channelID = "ehr"; $0.transactionID = txID; $0.proposedTransaction = signed
            }.bytes, .invalidArgument)
        }
        // A key made of input the stub refuses (not NFC) is the caller's error, not the contract's.
        let (unnormalized, unnormalizedTx) = try TransactionProposal.make(
            channel: "ehr", chaincode: "asset", function: "ReadAsset", args: [Data("e\u{301}".utf8)], signer: signer)
        add(Gateway.Evaluate.descriptor, "an asset ID that is not NFC", Medledger_V1_EvaluateRequest.with {
            $0.channelID = "ehr"; $0.transactionID = unnormalizedTx; $0.proposedTransaction = unnormalized
        }.bytes, .invalidArgument)
        for method in [Health.Check.descriptor, CA.GetCAInfo.descriptor, Content.Stat.descriptor, Gateway.CommitStatus.descriptor, Records.GetCustodian.descriptor] {
            add(method, "a string field that is not UTF-8", notUTF8, .invalidArgument)
        }
        add(CA.Register.descriptor, "an empty enrollment_id", Medledger_V1_RegisterRequest.with { $0.role = .clinician }.bytes, .invalidArgument)
        add(CA.Register.descriptor, "a negative max_enrollments", Medledger_V1_RegisterRequest.with { $0.enrollmentID = "neg"; $0.role = .clinician; $0.maxEnrollments = -5 }.bytes, .invalidArgument)
        add(CA.Register.descriptor, "an unknown role", Medledger_V1_RegisterRequest.with { $0.enrollmentID = "odd"; $0.role = .UNRECOGNIZED(99) }.bytes, .invalidArgument)
        add(CA.Enroll.descriptor, "a CSR that is no CSR", Medledger_V1_EnrollRequest.with { $0.enrollmentID = "nobody"; $0.secret = "s"; $0.csr = Data([1, 2, 3]) }.bytes, .unauthenticated)
        add(CA.Reenroll.descriptor, "a CSR that is no CSR", Medledger_V1_ReenrollRequest.with { $0.csr = Data([1, 2, 3]) }.bytes, .invalidArgument)
        add(CA.Revoke.descriptor, "a serial that is not hex", Medledger_V1_RevokeRequest.with { $0.serial = "zz\u{0}" }.bytes, .invalidArgument)
        add(CA.Revoke.descriptor, "no target", Medledger_V1_RevokeRequest().bytes, .invalidArgument)
        add(Content.Stat.descriptor, "an empty cid", Medledger_V1_StatRequest().bytes, .invalidArgument)
        add(Content.Cat.descriptor, "a well-formed CID of nothing stored", Medledger_V1_CatRequest.with { $0.cid = "bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy"; $0.offset = .max }.bytes, .notFound)
        cases.append(HostileCase(method: Content.Add.descriptor, value: "an unknown cid_version", messages: [Medledger_V1_AddRequest.with { $0.options = .with { $0.cidVersion = 7 } }.bytes], expected: .invalidArgument))
        cases.append(HostileCase(method: Content.Add.descriptor, value: "a 1 MiB chunker", messages: [Medledger_V1_AddRequest.with { $0.options = .with { $0.chunker = huge } }.bytes], expected: .invalidArgument))
        cases.append(HostileCase(method: Content.ImportCAR.descriptor, value: "a CAR that is no CAR", messages: [Medledger_V1_ImportCARRequest.with { $0.chunk = Data([0xFF, 0x00, 0x01]) }.bytes], expected: .invalidArgument))
        cases.append(HostileCase(method: Records.SealContent.descriptor, value: "a chunk before the header", messages: [Medledger_V1_SealContentRequest.with { $0.chunk = Data([1]) }.bytes], expected: .invalidArgument))
        add(Gateway.Endorse.descriptor, "a proposal that is no proposal", Medledger_V1_EndorseRequest.with {
            $0.channelID = "ehr"; $0.transactionID = "t"; $0.proposedTransaction = .with { $0.proposalBytes = Data([0xFF, 0x01]); $0.signature = Data([1]) }
        }.bytes, .invalidArgument)
        add(Gateway.Submit.descriptor, "an envelope that is no transaction", Medledger_V1_SubmitRequest.with {
            $0.channelID = "ehr"; $0.transactionID = "t"; $0.preparedTransaction = .with { $0.payload = Data([0xFF, 0x01]); $0.signature = Data([1]) }
        }.bytes, .invalidArgument)
        add(Medledger_V1_Deliver.Method.Blocks.descriptor, "a start block far beyond the chain", Medledger_V1_DeliverRequest.with {
            $0.channelID = "ehr"; $0.start = .with { $0.specified = .with { $0.number = .max } }; $0.behavior = .failIfNotReady; $0.filtered = true
        }.bytes, .outOfRange)
        add(Medledger_V1_Deliver.Method.Blocks.descriptor, "whole blocks for a clinician", Medledger_V1_DeliverRequest.with {
            $0.channelID = "ehr"; $0.behavior = .failIfNotReady
        }.bytes, .permissionDenied)
        add(Medledger_V1_Admin.Method.CreateChannel.descriptor, "no config", Medledger_V1_CreateChannelRequest().bytes, .invalidArgument)
        add(Medledger_V1_Admin.Method.CreateChannel.descriptor, "a 1 MiB channel_id", Medledger_V1_CreateChannelRequest.with { $0.config = .with { $0.channelID = huge } }.bytes, .invalidArgument)
        add(Medledger_V1_Admin.Method.JoinChannel.descriptor, "any genesis block (a dev node joins nothing)", Medledger_V1_JoinChannelRequest().bytes, .failedPrecondition)
        typealias Admin = Medledger_V1_Admin.Method
        add(Admin.UpdateChannelConfig.descriptor, "an empty envelope", Medledger_V1_UpdateChannelConfigRequest().bytes, .invalidArgument)
        func update(sequence: UInt64) throws -> [UInt8] {
            var config = Medledger_V1_ChannelConfig()
            config.channelID = "ehr"
            config.sequence = sequence
            let envelope = try ConfigUpdate.envelope(config: config, approvals: [], creator: signer)
            return Medledger_V1_UpdateChannelConfigRequest.with { $0.envelope = envelope.serializedData() }.bytes
        }
        add(Admin.UpdateChannelConfig.descriptor, "config.sequence 9 (the channel is at 0)", try update(sequence: 9), .failedPrecondition)
        add(Admin.UpdateChannelConfig.descriptor, "an update created by a clinician", try update(sequence: 1), .permissionDenied)
        return cases
    }
}
