import Foundation
import Identity
import LedgerCore
import Schema
import Testing

/// Endorsement by the submitter's organisation and by the owners of the data a transaction
/// touches (`DataOwnerRule`, checked against committed state by `BlockValidator`).
@Suite("Data owners and the submitter's organisation endorse")
struct DataOwnerValidationTests {
    static let fixture = try! ChannelFixture()
    var f: ChannelFixture { Self.fixture }

    /// Channel ehr where `owned` is endorsed by the creator's organisation, and keys of object
    /// type `patient` are owned by the organisation in their JSON field `mspID`.
    func context() throws -> ChannelContext {
        var config = f.config
        config.endorseBySubmitterAndOwners("owned", owners: [Medledger_V1_DataOwnerRule(chaincode: "owned", objectType: "patient", ownerField: "mspID")])
        return try ChannelContext(config: config, configBlockNumber: 0)
    }

    static let patientOfB = "\u{0}patient\u{0}P-3\u{0}"

    /// A state where HospitalB's patient P-3 was registered in block 1.
    func state() throws -> InMemoryState {
        let state = InMemoryState()
        try state.apply(StateUpdate(blockNumber: 0))
        let registered = StateUpdate.Write(
            namespace: "owned", key: Self.patientOfB, value: Data(#"{"mspID":"HospitalBMSP","patientID":"P-3"}"#.utf8),
            version: version(1, 0), txID: "register-p3", timestamp: Medledger_V1_Timestamp(date: Date()))
        try state.apply(StateUpdate(blockNumber: 1, writes: [registered]))
        return state
    }

    func code(
        creator: RequestSigner, endorsers: [RequestSigner], reads: [(String, Medledger_V1_Version?)] = [], writes: [(String, String?)] = []
    ) throws -> Medledger_V1_TxValidationCode {
        let envelope = try f.envelope(
            f.proposal(by: creator, chaincode: "owned"), signer: creator,
            rwset: rwset(reads: reads, writes: writes, namespace: "owned"), endorsers: endorsers)
        let checked = TransactionValidator(channel: try context(), knownChaincodes: ["owned"]).check(envelope, blockNumber: 2)
        return try BlockValidator().finish([checked], state: try state()).first!
    }

    @Test func readingAnotherOrganisationsPatientNeedsThatOrganisationsPeer() throws {
        let read = [(Self.patientOfB, Optional(version(1, 0)))]
        #expect(try code(creator: f.clinicianA, endorsers: [f.peerA], reads: read) == .endorsementPolicyFailure)
        #expect(try code(creator: f.clinicianA, endorsers: [f.peerA, f.peerB], reads: read) == .valid)
        // The owner's endorsement does not stand in for the submitter's organisation.
        #expect(try code(creator: f.clinicianA, endorsers: [f.peerB], reads: read) == .endorsementPolicyFailure)
        // HospitalB's own clinician about HospitalB's patient: one peer of HospitalB is all it takes.
        #expect(try code(creator: f.clinicianB, endorsers: [f.peerB], reads: read) == .valid)
    }

    @Test func aWrittenOwnedKeyIsOwnedByTheOrganisationItsValueNames() throws {
        let newPatient = "\u{0}patient\u{0}P-9\u{0}"
        #expect(try code(creator: f.clinicianA, endorsers: [f.peerA], writes: [(newPatient, #"{"mspID":"HospitalAMSP"}"#)]) == .valid)
        #expect(try code(creator: f.clinicianA, endorsers: [f.peerA], writes: [(newPatient, #"{"mspID":"HospitalBMSP"}"#)]) == .endorsementPolicyFailure)
        // An owned key whose value names no owner can never be endorsed enough.
        #expect(try code(creator: f.clinicianA, endorsers: [f.peerA, f.peerB], writes: [(newPatient, #"{"patientID":"P-9"}"#)]) == .endorsementPolicyFailure)
        #expect(try code(creator: f.clinicianA, endorsers: [f.peerA, f.peerB], writes: [(newPatient, "not json")]) == .endorsementPolicyFailure)
    }

    @Test func keysOfOtherObjectTypesAndReadsOfMissingKeysHaveNoOwner() throws {
        let consent = "\u{0}consent\u{0}P-3\u{0}c1\u{0}"
        #expect(try code(creator: f.clinicianA, endorsers: [f.peerA], reads: [("\u{0}patient\u{0}P-404\u{0}", nil)], writes: [(consent, "{}")]) == .valid)
        // A simple key that merely starts with the type's name is not a composite key of it.
        #expect(try code(creator: f.clinicianA, endorsers: [f.peerA], writes: [("patient", #"{"mspID":"HospitalBMSP"}"#)]) == .valid)
    }

    @Test func theSubmittersOrganisationRuleNamesTheCreatorsOrganisation() throws {
        let policy = Medledger_V1_EndorsementPolicy.allOf([.signedByCreatorOrganization(role: .peer), .signedBy("HospitalBMSP", role: .peer)])
        #expect(policy.summary == "OutOf(2, creator.peer, HospitalBMSP.peer)")
        #expect(policy.resolved(creator: "HospitalAMSP") == .allOf([.signedBy("HospitalAMSP", role: .peer), .signedBy("HospitalBMSP", role: .peer)]))
        let peers = [try identity(f.hospitalA, "peer1", .peer), try identity(f.hospitalB, "peer1", .peer)]
        #expect(EndorsementPolicyEvaluator().isSatisfied(policy.resolved(creator: "HospitalAMSP"), by: peers))
        #expect(!EndorsementPolicyEvaluator().isSatisfied(policy.resolved(creator: "PharmaCoMSP"), by: peers))
    }

    @Test func aConfigurationWithAMalformedRuleIsRefusedNamingIt() throws {
        var config = f.config
        var leaf = Medledger_V1_EndorsementPolicy.signedByCreatorOrganization(role: .peer)
        if case .signedBy(var signedBy)? = leaf.rule {
            signedBy.mspID = "HospitalAMSP"
            leaf.rule = .signedBy(signedBy)
        }
        config.endorsementPolicies["owned"] = leaf
        #expect(throws: ChannelConfigError.invalid("endorsement_policies[owned] has a creator_organization rule that also names an msp_id")) {
            try ChannelConfigRules.check(config)
        }
        config = f.config
        config.dataOwnerRules = [Medledger_V1_DataOwnerRule(chaincode: "owned", objectType: "", ownerField: "mspID")]
        #expect(throws: ChannelConfigError.self) { try ChannelConfigRules.check(config) }
    }
}
