import Foundation
import CertificateAuthority
import Identity
import LedgerCore
import Schema
import Testing
import Wire
import X509

@Suite("Transaction validation")
struct ValidationTests {
    static let fixture = try! ChannelFixture()
    var f: ChannelFixture { Self.fixture }

    /// Validates `envelopes` as block `number` against `state`, then applies the block's update.
    @discardableResult
    func commit(_ envelopes: [Data], number: UInt64, state: InMemoryState) throws -> [Medledger_V1_TxValidationCode] {
        let checked = envelopes.map { f.validator().check($0, blockNumber: number) }
        let codes = try BlockValidator().finish(checked, state: state)
        var block = Medledger_V1_Block()
        var data = Medledger_V1_BlockData()
        data.data = envelopes
        block.header = BlockHashing.header(after: number == 0 ? nil : { var h = Medledger_V1_BlockHeader(); h.number = number - 1; return h }(), data: data)
        block.data = data
        var metadata = Medledger_V1_BlockMetadata()
        metadata.validationCodes = codes
        block.metadata = metadata
        try state.apply(StateUpdate.derive(from: block))
        return codes
    }

    func freshState() throws -> InMemoryState {
        let state = InMemoryState()
        try state.apply(StateUpdate(blockNumber: 0))
        return state
    }

    func put(_ key: String, _ value: String, reads: [(String, Medledger_V1_Version?)] = [], by creator: RequestSigner? = nil) throws -> Data {
        let creator = creator ?? f.clinicianA
        return try f.envelope(f.proposal(by: creator), signer: creator, rwset: rwset(reads: reads, writes: [(key, value)]), endorsers: [f.peerA])
    }

    @Test func aWellFormedTransactionIsValidAndItsWritesApply() throws {
        let state = try freshState()
        #expect(try commit([put("k", "v1", reads: [("k", nil)])], number: 1, state: state) == [.valid])
        #expect(state.get(namespace: "asset", key: "k") == VersionedValue(value: Data("v1".utf8), version: version(1, 0)))
    }

    @Test func aStaleReadIsAnMVCCConflictAndWritesNothing() throws {
        let state = try freshState()
        try commit([put("k", "v1")], number: 1, state: state)
        try commit([put("k", "v2", reads: [("k", version(1, 0))])], number: 2, state: state)
        // Read version (1,0) is stale now: (2,0) wrote k.
        #expect(try commit([put("k", "v3", reads: [("k", version(1, 0))])], number: 3, state: state) == [.mvccReadConflict])
        #expect(state.get(namespace: "asset", key: "k")?.value == Data("v2".utf8))
    }

    @Test func readingAKeyAnEarlierTransactionOfTheBlockWroteConflicts() throws {
        let state = try freshState()
        let first = try put("k", "a", reads: [("k", nil)])
        let second = try put("k", "b", reads: [("k", nil)])
        #expect(try commit([first, second], number: 1, state: state) == [.valid, .mvccReadConflict])
        #expect(state.get(namespace: "asset", key: "k")?.value == Data("a".utf8))
    }

    @Test func aNewKeyInsideAScannedRangeIsAPhantom() throws {
        let state = try freshState()
        try commit([put("a1", "x"), put("a3", "y")], number: 1, state: state)
        var range = Medledger_V1_RangeQueryInfo()
        range.startKey = "a"
        range.endKey = "b"
        range.itrExhausted = true
        range.reads = [("a1", version(1, 0)), ("a3", version(1, 1))].map { key, version in
            var read = Medledger_V1_KVRead()
            read.key = key
            read.version = version
            return read
        }
        let scan = try f.envelope(f.proposal(by: f.clinicianA), signer: f.clinicianA, rwset: rwset(writes: [("summary", "2")], ranges: [range]), endorsers: [f.peerA])
        // Committed in the same block before the scan: a2 appears inside [a, b).
        #expect(try commit([put("a2", "new"), scan], number: 2, state: state) == [.valid, .phantomReadConflict])
        let rescan = try f.envelope(f.proposal(by: f.clinicianA), signer: f.clinicianA, rwset: rwset(writes: [("summary", "2")], ranges: [range]), endorsers: [f.peerA])
        #expect(try commit([rescan], number: 3, state: state) == [.phantomReadConflict])
        // A page that stopped at a1 is only checked up to a1.
        range.itrExhausted = false
        range.reads = [range.reads[0]]
        let page = try f.envelope(f.proposal(by: f.clinicianA), signer: f.clinicianA, rwset: rwset(writes: [("summary", "1")], ranges: [range]), endorsers: [f.peerA])
        #expect(try commit([page], number: 4, state: state) == [.valid])
    }

    @Test func aTransactionIDIsAcceptedOnce() throws {
        let state = try freshState()
        let envelope = try put("k", "v")
        #expect(try commit([envelope, envelope], number: 1, state: state) == [.valid, .duplicateTxid])
        #expect(try commit([envelope], number: 2, state: state) == [.duplicateTxid])
        #expect(state.transaction(TransactionIDOf(envelope)) == TransactionLocation(blockNumber: 1, position: 0, code: .valid))
    }

    @Test func statelessChecksNameWhatFailed() throws {
        let v = f.validator()
        let proposal = f.proposal(by: f.clinicianA)
        let forged = try f.envelope(proposal, signer: f.clinicianB, rwset: rwset(writes: [("k", "v")]), endorsers: [f.peerA])
        let forgedCheck = v.check(forged, blockNumber: 1)
        #expect(forgedCheck.code == .badCreatorSignature)
        #expect(forgedCheck.reason?.contains("dr.a") == true)

        let outsider = f.proposal(by: f.stranger)
        #expect(v.check(try f.envelope(outsider, signer: f.stranger, rwset: nil, endorsers: [f.peerA]), blockNumber: 1).code == .badCreator)

        var wrongID = f.proposal(by: f.clinicianA)
        wrongID.txID = String(repeating: "0", count: 64)
        #expect(v.check(try f.envelope(wrongID, signer: f.clinicianA, rwset: nil, endorsers: [f.peerA]), blockNumber: 1).code == .badProposalTxid)

        let byOutsiderPeer = try f.envelope(f.proposal(by: f.clinicianA), signer: f.clinicianA, rwset: nil, endorsers: [f.peerOutsider])
        let policyCheck = v.check(byOutsiderPeer, blockNumber: 1)
        #expect(policyCheck.code == .endorsementPolicyFailure)
        #expect(policyCheck.reason?.contains("OutOf(1, HospitalAMSP.peer, HospitalBMSP.peer)") == true)

        let both = f.proposal(by: f.clinicianA, chaincode: "both")
        #expect(v.check(try f.envelope(both, signer: f.clinicianA, rwset: nil, endorsers: [f.peerA]), blockNumber: 1).code == .endorsementPolicyFailure)
        #expect(v.check(try f.envelope(both, signer: f.clinicianA, rwset: nil, endorsers: [f.peerA, f.peerB]), blockNumber: 1).code == .valid)

        let otherChannel = f.proposal(by: f.clinicianA, channel: "hospitals")
        #expect(v.check(try f.envelope(otherChannel, signer: f.clinicianA, rwset: nil, endorsers: [f.peerA]), blockNumber: 1).code == .targetChainNotFound)

        let unknown = f.proposal(by: f.clinicianA, chaincode: "nope")
        #expect(v.check(try f.envelope(unknown, signer: f.clinicianA, rwset: nil, endorsers: [f.peerA]), blockNumber: 1).code == .invalidChaincode)

        let failed = try f.envelope(f.proposal(by: f.clinicianA), signer: f.clinicianA, rwset: nil, endorsers: [f.peerA], status: 500)
        #expect(v.check(failed, blockNumber: 1).code == .badResponsePayload)

        let foreignNamespace = rwset(writes: [("k", "v")], namespace: "other")
        #expect(v.check(try f.envelope(f.proposal(by: f.clinicianA), signer: f.clinicianA, rwset: foreignNamespace, endorsers: [f.peerA]), blockNumber: 1).code == .illegalWriteset)

        let unsorted = rwset(writes: [("b", "1"), ("a", "2")])
        #expect(v.check(try f.envelope(f.proposal(by: f.clinicianA), signer: f.clinicianA, rwset: unsorted, endorsers: [f.peerA]), blockNumber: 1).code == .badRwset)

        #expect(v.check(Data(), blockNumber: 1).code == .nilEnvelope)
        #expect(v.check(Data([0x0a, 0x05, 0x01]), blockNumber: 1).code == .badPayload)
    }

    @Test func anExpiredCreatorIsJudgedAtTheProposalTime() throws {
        let v = f.validator()
        let yearsAgo = Date().addingTimeInterval(-10 * 365 * 24 * 3600)
        let early = f.proposal(by: f.clinicianA, at: yearsAgo)
        let check = v.check(try f.envelope(early, signer: f.clinicianA, rwset: nil, endorsers: [f.peerA]), blockNumber: 1)
        #expect(check.code == .badCreator)
        #expect(check.reason?.contains("not valid before") == true)
    }

    @Test func commitHashesChainAndDependOnEveryWrite() {
        var a = StateUpdate(blockNumber: 1)
        a.writes = [.init(namespace: "asset", key: "k", value: Data("v".utf8), version: version(1, 0), txID: "t", timestamp: .init())]
        var b = a
        b.writes[0].value = nil
        #expect(a.commitHash(previous: Data()) != b.commitHash(previous: Data()))
        #expect(a.commitHash(previous: Data([1])) != a.commitHash(previous: Data()))
        #expect(a.commitHash(previous: Data()).count == 32)
    }
}

func TransactionIDOf(_ envelope: Data) -> String {
    let transaction = try! Medledger_V1_Transaction(serializedData: Medledger_V1_Envelope(serializedData: envelope).payload)
    guard case .endorserTransaction(let endorsed)? = transaction.body else { return "" }
    return endorsed.proposal?.txID ?? ""
}

@Suite("Channel CRLs")
struct ChannelRevocationTests {
    @Test func aCertificateRevokedInTheChannelsCRLIsABadCreator() throws {
        let hospital = try makeOrganization("HospitalAMSP")
        let (nurse, nurseCertificate) = try hospital.enrollSigner(enrollmentID: "nurse", role: .clinician)
        let (doctor, _) = try hospital.enrollSigner(enrollmentID: "doctor", role: .clinician)
        let peer = try hospital.enrollSigner(enrollmentID: "peer0", role: .peer).signer
        _ = try hospital.revoke(.serial(nurseCertificate.serialNumber.hexString), reason: 1)

        var config = Medledger_V1_ChannelConfig()
        config.channelID = "ehr"
        config.organizations = [try hospital.channelOrganization()]
        config.defaultEndorsementPolicy = .anyOf([.signedBy("HospitalAMSP", role: .peer)])
        config.adminPolicy = .anyOf([.signedBy("HospitalAMSP", role: .admin)])
        let context = try ChannelContext(config: config, configBlockNumber: 0)
        let validator = TransactionValidator(channel: context, knownChaincodes: ["asset"])
        let f = ValidationTests.fixture

        func envelope(by signer: RequestSigner) throws -> Data {
            try f.envelope(f.proposal(by: signer), signer: signer, rwset: rwset(writes: [("k", "v")]), endorsers: [peer])
        }
        let revoked = validator.check(try envelope(by: nurse), blockNumber: 1)
        #expect(revoked.code == .badCreator)
        #expect(revoked.reason?.contains("revoked") == true)
        #expect(validator.check(try envelope(by: doctor), blockNumber: 1).code == .valid)
    }

    @Test func anIdentityOfAnIntermediateTheChannelListsIsAValidCreator() throws {
        let hospital = try makeOrganization("HospitalAMSP")
        let ward = OrganizationCA(authority: try hospital.authority.issueIntermediate(name: "Ward CA"), store: try RegistrationStore(path: nil))
        let (nurse, _) = try ward.enrollSigner(enrollmentID: "ward-nurse", role: .clinician)
        let peer = try hospital.enrollSigner(enrollmentID: "peer0", role: .peer).signer
        func validator(listing intermediates: [Data]) throws -> TransactionValidator {
            var org = try hospital.channelOrganization()
            org.intermediateCerts = intermediates
            var config = Medledger_V1_ChannelConfig()
            config.channelID = "ehr"
            config.organizations = [org]
            config.defaultEndorsementPolicy = .anyOf([.signedBy("HospitalAMSP", role: .peer)])
            config.adminPolicy = .anyOf([.signedBy("HospitalAMSP", role: .admin)])
            return TransactionValidator(channel: try ChannelContext(config: config, configBlockNumber: 0), knownChaincodes: ["asset"])
        }
        let f = ValidationTests.fixture
        let envelope = try f.envelope(f.proposal(by: nurse), signer: nurse, rwset: rwset(writes: [("k", "v")]), endorsers: [peer])
        #expect(try validator(listing: [Data(ward.authority.rootCertificate.derBytes)]).check(envelope, blockNumber: 1).code == .valid)
        let unlisted = try validator(listing: []).check(envelope, blockNumber: 1)
        #expect(unlisted.code == .badCreator && unlisted.reason?.contains("not a member organisation's CA") == true, "\(unlisted.reason ?? "")")
        // An intermediate another root signed cannot be slipped into the organisation's list.
        let impostor = try makeOrganization("HospitalAMSP").authority.issueIntermediate(name: "Ward CA")
        #expect(throws: ChannelConfigError.self) { _ = try validator(listing: [Data(impostor.rootCertificate.derBytes)]) }
    }

    @Test func aCRLNotSignedByTheOrganisationsRootIsRefused() throws {
        let hospital = try makeOrganization("HospitalAMSP")
        let impostor = try makeOrganization("HospitalAMSP")
        var org = try hospital.channelOrganization()
        org.crls = [Data(try impostor.currentCRL())]
        var config = Medledger_V1_ChannelConfig()
        config.channelID = "ehr"
        config.organizations = [org]
        config.defaultEndorsementPolicy = .anyOf([.signedBy("HospitalAMSP", role: .peer)])
        config.adminPolicy = .anyOf([.signedBy("HospitalAMSP", role: .admin)])
        #expect(throws: ChannelConfigError.invalid("organisation HospitalAMSP: crls[0] is not a CRL signed by its root or one of its intermediates")) {
            try ChannelContext(config: config, configBlockNumber: 0)
        }
    }
}
