import CertificateAuthority
import Foundation
import Identity
import LedgerCore
import Schema
import Testing
import Wire

@Suite("Channel configuration edits")
struct ChannelConfigEditTests {
    typealias Policy = Medledger_V1_EndorsementPolicy
    static let fixture = try! ChannelFixture()
    static let regulatorCA = try! makeOrganization("RegulatorMSP")
    static let adminA = try! fixture.hospitalA.enrollSigner(enrollmentID: "admin.a", role: .admin).signer
    static let adminB = try! fixture.hospitalB.enrollSigner(enrollmentID: "admin.b", role: .admin).signer
    var f: ChannelFixture { Self.fixture }

    let a = "HospitalAMSP", b = "HospitalBMSP", pharma = "PharmaCoMSP", regulator = "RegulatorMSP"

    /// A channel as `channel create` makes it: any member's peer endorses, a majority of the
    /// members' admins changes the configuration.
    func channel(_ members: [OrganizationCA]) throws -> Medledger_V1_ChannelConfig {
        let organizations = try members.map { try $0.channelOrganization() }
        return .anyPeerEndorses(channelID: "ehr", organizations: organizations)
    }

    func peer(_ mspID: String) -> Policy { .signedBy(mspID, role: .peer) }
    func admin(_ mspID: String) -> Policy { .signedBy(mspID, role: .admin) }

    func refusal(_ edits: [ChannelConfigEdit], on config: Medledger_V1_ChannelConfig) -> ChannelConfigEdit.Refusal? {
        do throws(ChannelConfigEdit.Refusal) {
            _ = try ChannelConfigEdit.proposal(from: config, applying: edits)
            return nil
        } catch {
            return error
        }
    }

    @Test func addingAnOrganisationGrowsTheMajorityAdminPolicyAndTheAnyPeerDefault() throws {
        var current = try channel([f.hospitalA, f.hospitalB])
        current.endorsementPolicies["both"] = .allOf([peer(a), peer(b)])
        let root = try f.outsider.channelOrganization().rootCerts[0]
        let next = try ChannelConfigEdit.proposal(
            from: current, applying: [.addOrganization(mspID: pharma, rootCertificate: root), .maxMessageCount(1000)])

        #expect(next.sequence == current.sequence + 1)
        #expect(next.organizations.map(\.mspID) == [a, b, pharma])
        #expect(next.organizations[2].rootCerts == [root])
        #expect(next.organizations[2].peerEndpoints.isEmpty && next.organizations[2].ordererEndpoints.isEmpty)
        #expect(next.adminPolicy == Policy.majorityOfAdmins([a, b, pharma]))
        #expect(next.defaultEndorsementPolicy == Policy.anyOf([peer(a), peer(b), peer(pharma)]))
        // A policy of another shape is the members' to change; the new member gets no say in it.
        #expect(next.endorsementPolicies["both"] == Policy.allOf([peer(a), peer(b)]))
        #expect(next.batch?.maxMessageCount == 1000)
        #expect(ChannelConfigEdit.differences(from: current, to: next) == [
            "+org PharmaCoMSP",
            "default endorsement policy OutOf(1, HospitalAMSP.peer, HospitalBMSP.peer) → OutOf(1, HospitalAMSP.peer, HospitalBMSP.peer, PharmaCoMSP.peer)",
            "admin policy OutOf(2, HospitalAMSP.admin, HospitalBMSP.admin) → OutOf(2, HospitalAMSP.admin, HospitalBMSP.admin, PharmaCoMSP.admin)",
            "max_message_count 500 (default) → 1000",
        ])
    }

    @Test func anAdminPolicyOfAnotherShapeIsLeftAsItIsWhenAMemberJoins() throws {
        var current = try channel([f.hospitalA, f.hospitalB])
        current.adminPolicy = .anyOf([admin(a)])
        let root = try f.outsider.channelOrganization().rootCerts[0]
        let next = try ChannelConfigEdit.proposal(from: current, applying: [.addOrganization(mspID: pharma, rootCertificate: root)])
        #expect(next.adminPolicy == Policy.anyOf([admin(a)]))
    }

    @Test func aProposalCarriedInItsFileAndApprovedInstallsAsTheNextConfiguration() throws {
        let current = try channel([f.hospitalA, f.hospitalB])
        let root = try f.outsider.channelOrganization().rootCerts[0]
        var file = Medledger_V1_ConfigTransaction()
        file.config = try ChannelConfigEdit.proposal(from: current, applying: [.addOrganization(mspID: pharma, rootCertificate: root)])

        var received = try Medledger_V1_ConfigTransaction(serializedData: file.serializedData())
        let config = try #require(received.config)
        received.signatures.append(try ConfigUpdate.approve(config, by: Self.adminB))
        let envelope = try ConfigUpdate.envelope(config: config, approvals: received.signatures, creator: Self.adminA)
        let transaction = try Medledger_V1_Transaction(serializedData: envelope.payload)
        guard case .configTransaction(let change)? = transaction.body else { Issue.record("not a config transaction"); return }
        let installed = try ConfigUpdate.check(
            change, envelope: envelope, current: try ChannelContext(config: current, configBlockNumber: 0), blockNumber: 1)
        #expect(installed.isMember(pharma))
        #expect(installed.config.sequence == 1)
    }

    @Test func removingAnOrganisationTakesItOutOfEveryPolicy() throws {
        var current = try channel([f.hospitalA, f.hospitalB, f.outsider, Self.regulatorCA])
        current.endorsementPolicies["audit"] = .allOf([peer(a), peer(regulator)])
        current.endorsementPolicies["nested"] = .outOf(2, [peer(a), .anyOf([peer(regulator)]), peer(b)])
        let next = try ChannelConfigEdit.proposal(from: current, applying: [.removeOrganization(mspID: regulator)])

        #expect(next.organizations.map(\.mspID) == [a, b, pharma])
        // A majority of four is three; of the three left it is two, not the clamped three.
        #expect(next.adminPolicy == Policy.majorityOfAdmins([a, b, pharma]))
        #expect(next.adminPolicy?.summary == "OutOf(2, HospitalAMSP.admin, HospitalBMSP.admin, PharmaCoMSP.admin)")
        #expect(next.defaultEndorsementPolicy == Policy.anyOf([peer(a), peer(b), peer(pharma)]))
        #expect(next.endorsementPolicies["audit"] == Policy.outOf(1, [peer(a)]))
        #expect(next.endorsementPolicies["nested"] == Policy.outOf(2, [peer(a), peer(b)]))
        #expect(ChannelConfigEdit.differences(from: current, to: next).first == "-org RegulatorMSP")

        current.adminPolicy = .allOf([admin(a), admin(b), admin(pharma), admin(regulator)])
        let clamped = try ChannelConfigEdit.proposal(from: current, applying: [.removeOrganization(mspID: regulator)])
        #expect(clamped.adminPolicy == Policy.outOf(3, [admin(a), admin(b), admin(pharma)]))
    }

    @Test func anEditThatDoesNotApplyIsRefusedWithTheReason() throws {
        let current = try channel([f.hospitalA, f.hospitalB])
        #expect(refusal([.removeOrganization(mspID: "NowhereMSP")], on: current)?.description
            == "cannot remove organisation NowhereMSP: NowhereMSP is not a member of channel ehr (members: HospitalAMSP, HospitalBMSP)")
        let again = ChannelConfigEdit.addOrganization(mspID: b, rootCertificate: Data())
        #expect(refusal([again], on: current) == .notApplicable(again, reason: "HospitalBMSP is already a member of channel ehr"))
        #expect(refusal([.removeOrganization(mspID: a), .removeOrganization(mspID: b)], on: current)
            == .notApplicable(.removeOrganization(mspID: b), reason: "it is the only member of channel ehr"))
        var pinned = current
        pinned.endorsementPolicies["b-only"] = .anyOf([peer(b)])
        #expect(refusal([.removeOrganization(mspID: b)], on: pinned)?.description
            == "cannot remove organisation HospitalBMSP: endorsement_policies[b-only] OutOf(1, HospitalBMSP.peer) would have no rule left")
        #expect(refusal([.maxMessageCount(0)], on: current)?.description == "cannot set max_message_count to 0: it must be at least 1")
        #expect(refusal([.replaceRootCertificates(mspID: a, certificates: [])], on: current)?.description
            == "cannot replace the root certificates of HospitalAMSP: an organisation needs at least one root certificate")
    }

    @Test func endpointsAreAddedToAMemberAndRemovedByHostAndPort() throws {
        var current = try channel([f.hospitalA, f.hospitalB])
        current.organizations[0].ordererEndpoints = ["orderer.a.example:7050"]
        let next = try ChannelConfigEdit.proposal(from: current, applying: [
            .addPeerEndpoint(mspID: b, endpoint: "peer.b.example:7051"),
            .addOrdererEndpoint(mspID: b, endpoint: "orderer.b.example:7050"),
            .removeEndpoint("orderer.a.example:7050"),
        ])
        #expect(next.organizations[1].peerEndpoints == ["peer.b.example:7051"])
        #expect(next.organizations.flatMap(\.ordererEndpoints) == ["orderer.b.example:7050"])
        #expect(ChannelConfigEdit.differences(from: current, to: next) == [
            "-orderer orderer.a.example:7050 (HospitalAMSP)",
            "+peer peer.b.example:7051 (HospitalBMSP)",
            "+orderer orderer.b.example:7050 (HospitalBMSP)",
        ])

        #expect(refusal([.removeEndpoint("orderer.a.example:7050")], on: current)?.description
            == "cannot remove endpoint orderer.a.example:7050: it is the last orderer endpoint of channel ehr; add another one first")
        #expect(refusal([.removeEndpoint("nowhere.example:1")], on: current)?.description
            == "cannot remove endpoint nowhere.example:1: no member of channel ehr lists it (endpoints: orderer.a.example:7050)")
        let duplicate = ChannelConfigEdit.addOrdererEndpoint(mspID: a, endpoint: "orderer.a.example:7050")
        #expect(refusal([duplicate], on: current) == .notApplicable(duplicate, reason: "HospitalAMSP already lists it"))
        for endpoint in ["peer.b.example", "peer.b.example:0", "peer.b.example:65536", ":7051", "peer b.example:7051"] {
            let edit = ChannelConfigEdit.addPeerEndpoint(mspID: b, endpoint: endpoint)
            #expect(refusal([edit], on: current) == .notApplicable(edit, reason: "an endpoint is HOST:PORT, with a port from 1 to 65535"), "\(endpoint)")
        }
    }

    @Test func rootsAndCRLsAreCheckedAsEveryNodeWillCheckThem() throws {
        let current = try channel([f.hospitalA, f.hospitalB])
        let crlsOfB = try f.hospitalB.channelOrganization().crls
        #expect(refusal([.replaceRevocationLists(mspID: a, crls: crlsOfB)], on: current)
            == .invalidResult("invalid channel configuration: organisation HospitalAMSP: crls[0] is not a CRL signed by its root or one of its intermediates"))
        // A new root must come with CRLs that it signed (here: none).
        let newRoots = try f.outsider.channelOrganization().rootCerts
        #expect(refusal([.replaceRootCertificates(mspID: a, certificates: newRoots)], on: current)
            == .invalidResult("invalid channel configuration: organisation HospitalAMSP: crls[0] is not a CRL signed by its root or one of its intermediates"))
        let next = try ChannelConfigEdit.proposal(
            from: current, applying: [.replaceRootCertificates(mspID: a, certificates: newRoots), .replaceRevocationLists(mspID: a, crls: [])])
        #expect(next.organizations[0].rootCerts == newRoots && next.organizations[0].crls.isEmpty)
        #expect(ChannelConfigEdit.differences(from: current, to: next) == ["HospitalAMSP roots replaced (1)", "HospitalAMSP CRLs replaced (0)"])
        let garbage = refusal(
            [.replaceRootCertificates(mspID: a, certificates: [Data("not a certificate".utf8)]), .replaceRevocationLists(mspID: a, crls: [])],
            on: current)
        #expect(garbage == .invalidResult("invalid channel configuration: organisation HospitalAMSP has a root certificate that is not DER X.509"))
    }

    @Test func batchSettingsShowTheDefaultsInForce() {
        #expect(Medledger_V1_BatchParameters().settings.map { $0.value } == ["500 (default)", "2097152 (default)", "10485760 (default)", "20 (default)"])
        var batch = Medledger_V1_BatchParameters()
        batch.batchTimeoutMillis = 50
        #expect(batch.settings.map { "\($0.name)=\($0.value)" }.last == "batch_timeout_millis=50")
    }
}
