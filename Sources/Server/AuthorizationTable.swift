internal import GRPCCore
public import Schema

/// Which callers may invoke which RPC, by fully-qualified method name
/// (`medledger.v1.CertificateAuthority/Register`). A method not in the table is denied to everyone.
public struct AuthorizationTable: Sendable {
    /// Who may call one method.
    public enum Access: Sendable, Hashable {
        /// Anyone, with or without a client certificate.
        case publicAccess
        /// Any identity of a member organisation.
        case anyMember
        /// Identities holding one of these roles.
        case roles(Set<Medledger_V1_Role>)
    }

    public var rules: [String: Access]

    public init(rules: [String: Access]) {
        self.rules = rules
    }

    /// The access rule of `method`; nil means default deny.
    public func access(for method: String) -> Access? {
        rules[method]
    }

    /// The rules of the services this module serves today.
    public static let standard = AuthorizationTable(rules: [
        "grpc.health.v1.Health/Check": .publicAccess,
        "grpc.health.v1.Health/Watch": .publicAccess,
        "grpc.health.v1.Health/List": .publicAccess,
        // Reflection describes the public schema (proto/) to tools such as grpcurl; members only.
        method(Grpc_Reflection_V1_ServerReflection.Method.ServerReflectionInfo.descriptor): .anyMember,
        method(Grpc_Reflection_V1alpha_ServerReflection.Method.ServerReflectionInfo.descriptor): .anyMember,
        method(Medledger_V1_CertificateAuthority.Method.Enroll.descriptor): .publicAccess,
        method(Medledger_V1_CertificateAuthority.Method.GetCAInfo.descriptor): .publicAccess,
        method(Medledger_V1_CertificateAuthority.Method.GetCRL.descriptor): .anyMember,
        method(Medledger_V1_CertificateAuthority.Method.Reenroll.descriptor): .anyMember,
        method(Medledger_V1_CertificateAuthority.Method.Register.descriptor): .roles([.admin]),
        method(Medledger_V1_CertificateAuthority.Method.Revoke.descriptor): .roles([.admin]),
        method(Medledger_V1_CertificateAuthority.Method.ListIdentities.descriptor): .roles([.admin]),
        method(Medledger_V1_CertificateAuthority.Method.Unlock.descriptor): .roles([.admin]),
        // Content holds ciphertext only (keys are released by the ledger), so any member may read it;
        // writing and pinning is for the systems that add records and for nodes; GC for admins.
        method(Medledger_V1_Content.Method.Cat.descriptor): .anyMember,
        method(Medledger_V1_Content.Method.Stat.descriptor): .anyMember,
        method(Medledger_V1_Content.Method.ExportCAR.descriptor): .anyMember,
        method(Medledger_V1_Content.Method.GetBlock.descriptor): .anyMember,
        method(Medledger_V1_Content.Method.ListPins.descriptor): .anyMember,
        method(Medledger_V1_Content.Method.Add.descriptor): .roles(contentWriters),
        method(Medledger_V1_Content.Method.ImportCAR.descriptor): .roles(contentWriters),
        method(Medledger_V1_Content.Method.Pin.descriptor): .roles(contentWriters),
        method(Medledger_V1_Content.Method.Unpin.descriptor): .roles(contentWriters),
        method(Medledger_V1_Content.Method.GC.descriptor): .roles([.admin]),
        // The ledger: any member identity may call; each call then checks channel membership.
        method(Medledger_V1_Gateway.Method.Endorse.descriptor): .anyMember,
        method(Medledger_V1_Gateway.Method.Submit.descriptor): .anyMember,
        method(Medledger_V1_Gateway.Method.CommitStatus.descriptor): .anyMember,
        method(Medledger_V1_Gateway.Method.Evaluate.descriptor): .anyMember,
        method(Medledger_V1_Gateway.Method.ChaincodeEvents.descriptor): .anyMember,
        method(Medledger_V1_Gateway.Method.SubmitStream.descriptor): .anyMember,
        method(Medledger_V1_Deliver.Method.Blocks.descriptor): .anyMember,
        // Key custody: clinicians deposit the keys of the records they add; a release or a shred is
        // decided by the ledger (the caller's committed OpenRecord, or an approved erasure).
        method(Medledger_V1_Records.Method.GetCustodian.descriptor): .anyMember,
        method(Medledger_V1_Records.Method.DepositKeys.descriptor): .roles([.clinician]),
        method(Medledger_V1_Records.Method.ReleaseKey.descriptor): .anyMember,
        method(Medledger_V1_Records.Method.SealContent.descriptor): .roles([.clinician]),
        method(Medledger_V1_Records.Method.ReadContent.descriptor): .anyMember,
        method(Medledger_V1_Records.Method.ShredKeys.descriptor): .roles([.admin]),
        // Between nodes: the author's organisation's node asks the patient's home organisation's.
        method(Medledger_V1_Records.Method.HoldReplica.descriptor): .roles([.peer]),
        method(Medledger_V1_Research.Method.Export.descriptor): .roles([.researcher]),
        method(Medledger_V1_Admin.Method.CreateChannel.descriptor): .roles([.admin]),
        method(Medledger_V1_Admin.Method.ListChannels.descriptor): .roles([.admin]),
        method(Medledger_V1_Admin.Method.GetChannelConfig.descriptor): .roles([.admin]),
        method(Medledger_V1_Admin.Method.JoinChannel.descriptor): .roles([.admin]),
        method(Medledger_V1_Admin.Method.UpdateChannelConfig.descriptor): .roles([.admin]),
    ])

    /// The rules of an orderer node: peers of member organisations broadcast and pull blocks; any
    /// member may follow the ordered chain; its organisation's admins join it to channels.
    public static let orderer = AuthorizationTable(rules: [
        "grpc.health.v1.Health/Check": .publicAccess,
        "grpc.health.v1.Health/Watch": .publicAccess,
        "grpc.health.v1.Health/List": .publicAccess,
        // Reflection describes the public schema (proto/) to tools such as grpcurl; members only.
        method(Grpc_Reflection_V1_ServerReflection.Method.ServerReflectionInfo.descriptor): .anyMember,
        method(Grpc_Reflection_V1alpha_ServerReflection.Method.ServerReflectionInfo.descriptor): .anyMember,
        method(Medledger_V1_Orderer.Method.Broadcast.descriptor): .roles([.peer]),
        method(Medledger_V1_Deliver.Method.Blocks.descriptor): .anyMember,
        method(Medledger_V1_Admin.Method.ListChannels.descriptor): .roles([.admin]),
        method(Medledger_V1_Admin.Method.GetChannelConfig.descriptor): .roles([.admin]),
        method(Medledger_V1_Admin.Method.JoinChannel.descriptor): .roles([.admin]),
        method(Medledger_V1_Admin.Method.UpdateChannelConfig.descriptor): .roles([.admin]),
    ])

    static let contentWriters: Set<Medledger_V1_Role> = [.admin, .clinician, .peer]

    static func method(_ descriptor: MethodDescriptor) -> String {
        descriptor.fullyQualifiedMethod
    }
}
