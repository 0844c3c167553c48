import Crypto
import Foundation
import LedgerCore
import Wire
import Identity
import CertificateAuthority
import Schema

/// An in-memory organisation CA.
func makeOrganization(_ mspID: String) throws -> OrganizationCA {
    OrganizationCA(
        authority: try CertificateAuthority.create(mspID: mspID, name: "\(mspID) CA"),
        store: try RegistrationStore(path: nil)
    )
}

/// A freshly enrolled identity of `ca` as `Membership` sees it.
func identity(_ ca: OrganizationCA, _ name: String, _ role: Medledger_V1_Role) throws -> Identity {
    let (_, certificate) = try ca.enrollSigner(enrollmentID: name, role: role)
    return try ca.membership().validate(certificate, at: Date())
}

/// Two hospitals on channel "ehr" (plus an outsider), with the signers transactions need.
struct ChannelFixture {
    let hospitalA: OrganizationCA
    let hospitalB: OrganizationCA
    let outsider: OrganizationCA
    let clinicianA: RequestSigner
    let clinicianB: RequestSigner
    let stranger: RequestSigner
    let peerA: RequestSigner
    let peerB: RequestSigner
    let peerOutsider: RequestSigner
    let orderer: RequestSigner
    let config: Medledger_V1_ChannelConfig
    let context: ChannelContext

    init() throws {
        hospitalA = try makeOrganization("HospitalAMSP")
        hospitalB = try makeOrganization("HospitalBMSP")
        outsider = try makeOrganization("PharmaCoMSP")
        clinicianA = try hospitalA.enrollSigner(enrollmentID: "dr.a", role: .clinician).signer
        clinicianB = try hospitalB.enrollSigner(enrollmentID: "dr.b", role: .clinician).signer
        stranger = try outsider.enrollSigner(enrollmentID: "analyst", role: .researcher).signer
        peerA = try hospitalA.enrollSigner(enrollmentID: "peer0", role: .peer).signer
        peerB = try hospitalB.enrollSigner(enrollmentID: "peer0", role: .peer).signer
        peerOutsider = try outsider.enrollSigner(enrollmentID: "peer0", role: .peer).signer
        orderer = try hospitalA.enrollSigner(enrollmentID: "orderer0", role: .orderer).signer
        var config = Medledger_V1_ChannelConfig()
        config.channelID = "ehr"
        config.organizations = [try hospitalA.channelOrganization(), try hospitalB.channelOrganization()]
        config.defaultEndorsementPolicy = .anyOf([.signedBy("HospitalAMSP", role: .peer), .signedBy("HospitalBMSP", role: .peer)])
        config.endorsementPolicies["both"] = .allOf([.signedBy("HospitalAMSP", role: .peer), .signedBy("HospitalBMSP", role: .peer)])
        config.adminPolicy = .anyOf([.signedBy("HospitalAMSP", role: .admin)])
        self.config = config
        context = try ChannelContext(config: config, configBlockNumber: 0)
    }

    func validator() -> TransactionValidator {
        TransactionValidator(channel: context, knownChaincodes: ["asset", "both"])
    }

    /// A signed proposal's content, as a client builds it.
    func proposal(by creator: RequestSigner, chaincode: String = "asset", channel: String = "ehr", at time: Date = Date()) -> Medledger_V1_Proposal {
        var proposal = Medledger_V1_Proposal()
        proposal.channelID = channel
        proposal.chaincodeName = chaincode
        var input = Medledger_V1_ChaincodeInput()
        input.function = "Put"
        proposal.input = input
        proposal.nonce = Data((0..<24).map { _ in UInt8.random(in: 0...255) })
        proposal.creator = creator.certificateDER
        proposal.txID = TransactionID.compute(nonce: proposal.nonce, creator: proposal.creator)
        proposal.timestamp = Medledger_V1_Timestamp(date: time)
        return proposal
    }

    /// An envelope of an endorsed transaction with the given read-write set, endorsed by
    /// `endorsers` and signed by the proposal's creator `signer`.
    func envelope(
        _ proposal: Medledger_V1_Proposal, signer: RequestSigner, rwset: Medledger_V1_ReadWriteSet?,
        endorsers: [RequestSigner], status: Int32 = 200
    ) throws -> Data {
        var payload = Medledger_V1_ProposalResponsePayload()
        payload.proposalHash = Data(SHA256.hash(data: proposal.serializedData()))
        payload.results = rwset.map { [$0] } ?? []
        var response = Medledger_V1_Response()
        response.status = status
        payload.response = response
        let payloadBytes = payload.serializedData()
        var endorsed = Medledger_V1_EndorserTransaction()
        endorsed.proposal = proposal
        endorsed.proposalResponsePayload = payloadBytes
        endorsed.endorsements = try endorsers.map { peer in
            var endorsement = Medledger_V1_Endorsement()
            endorsement.endorser = peer.certificateDER
            endorsement.signature = try peer.sign(payloadBytes + peer.certificateDER)
            return endorsement
        }
        var transaction = Medledger_V1_Transaction()
        transaction.body = .endorserTransaction(endorsed)
        return try signer.envelope(transaction).serializedData()
    }
}

/// A read-write set in namespace `asset`.
func rwset(
    reads: [(String, Medledger_V1_Version?)] = [], writes: [(String, String?)] = [],
    ranges: [Medledger_V1_RangeQueryInfo] = [], namespace: String = "asset"
) -> Medledger_V1_ReadWriteSet {
    var set = Medledger_V1_ReadWriteSet()
    set.namespace = namespace
    set.reads = reads.map { key, version in
        var read = Medledger_V1_KVRead()
        read.key = key
        read.version = version
        return read
    }
    set.writes = writes.map { key, value in
        var write = Medledger_V1_KVWrite()
        write.key = key
        write.isDelete = value == nil
        write.value = Data((value ?? "").utf8)
        return write
    }
    set.rangeQueries = ranges
    return set
}

func version(_ block: UInt64, _ tx: UInt64) -> Medledger_V1_Version {
    var version = Medledger_V1_Version()
    version.blockNum = block
    version.txNum = tx
    return version
}
