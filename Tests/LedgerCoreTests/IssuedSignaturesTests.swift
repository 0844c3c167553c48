import Foundation
import Identity
import LedgerCore
import Schema
import Testing
import Wire

@Suite("A node's own endorsement signatures need no second verification")
struct IssuedSignaturesTests {
    static let fixture = try! ChannelFixture()
    var f: ChannelFixture { Self.fixture }

    /// An envelope endorsed by peer A whose endorsement signature is replaced by `signature`, and
    /// the payload that signature claims to cover.
    func envelope(endorsementSignature signature: Data?) throws -> (envelope: Data, payload: Data, original: Data) {
        let proposal = f.proposal(by: f.clinicianA)
        let bytes = try f.envelope(proposal, signer: f.clinicianA, rwset: rwset(writes: [("k", "v")]), endorsers: [f.peerA])
        var transaction = try Medledger_V1_Transaction(serializedData: try Medledger_V1_Envelope(serializedData: bytes).payload)
        guard case .endorserTransaction(var endorsed)? = transaction.body else { throw ValidationFailure() }
        let original = endorsed.endorsements[0].signature
        if let signature { endorsed.endorsements[0].signature = signature }
        transaction.body = .endorserTransaction(endorsed)
        return (try f.clinicianA.envelope(transaction).serializedData(), endorsed.proposalResponsePayload, original)
    }

    @Test func aRecordedSignatureIsTrustedAndAnythingElseIsVerified() throws {
        let issued = IssuedSignatures()
        let validator = TransactionValidator(channel: f.context, knownChaincodes: ["asset"], issued: issued)
        let bogus = Data(repeating: 0x30, count: 70)

        // Not recorded: a bad endorsement signature fails verification as always.
        let (refused, payload, _) = try envelope(endorsementSignature: bogus)
        #expect(validator.check(refused, blockNumber: 1).code == .endorsementPolicyFailure)

        // A genuine signature this node did not record is verified and accepted.
        let (genuine, _, _) = try envelope(endorsementSignature: nil)
        #expect(validator.check(genuine, blockNumber: 1).code == .valid)

        // What the node recorded as its own is trusted as is: for the same payload and signer only.
        issued.record(signature: bogus, payload: payload, signer: f.peerA.certificateDER)
        #expect(validator.check(refused, blockNumber: 1).code == .valid)
        // Another transaction (another payload) carrying the same bytes is not covered by that record.
        let (other, otherPayload, _) = try envelope(endorsementSignature: bogus)
        #expect(otherPayload != payload)
        #expect(validator.check(other, blockNumber: 1).code == .endorsementPolicyFailure)
        // Recording by the digest the endorser signed is the same record as by payload and signer.
        let byDigest = IssuedSignatures()
        byDigest.record(signature: bogus, signedDigest: IssuedSignatures.digest(payload, f.peerA.certificateDER))
        #expect(byDigest.contains(signature: bogus, payload: payload, signer: f.peerA.certificateDER))
        #expect(!byDigest.contains(signature: bogus, payload: payload, signer: f.peerB.certificateDER))
        // Nor is the same payload claimed for another signer.
        issued.record(signature: bogus, payload: otherPayload, signer: f.peerB.certificateDER)
        #expect(validator.check(other, blockNumber: 1).code == .endorsementPolicyFailure)
    }

    @Test func theOldestEntriesLeaveWhenFull() {
        let issued = IssuedSignatures(capacity: 2)
        let signer = Data("peer".utf8)
        for index in 0..<3 { issued.record(signature: Data([UInt8(index)]), payload: Data([UInt8(index)]), signer: signer) }
        #expect(!issued.contains(signature: Data([0]), payload: Data([0]), signer: signer))
        #expect(issued.contains(signature: Data([1]), payload: Data([1]), signer: signer))
        #expect(issued.contains(signature: Data([2]), payload: Data([2]), signer: signer))
    }
}

struct ValidationFailure: Error {}
