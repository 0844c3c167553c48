internal import ContentStore
internal import Crypto
internal import Foundation
internal import GRPCCore
internal import Identity
internal import Wire
internal import RecordCrypto

/// The node's custody of record data keys, off chain: each record's key wrapped to the patient
/// and to the authoring organisation's peer (`WrappedKeyStore`, one file per copy). The ledger
/// holds only their digests, so erasure can destroy every copy (crypto-shredding) while the chain
/// stays immutable. A key leaves custody only re-wrapped to one reader the ledger permitted.
struct KeyCustody: Sendable {
    let keys: WrappedKeyStore
    let peers: [HostedPeer]

    static let patientCopy = "patient"

    static func organizationCopy(_ mspID: String) -> String { "org-\(mspID)" }

    /// Hex SHA-256, the form the ledger records a wrapped key's digest in.
    static func digest(_ bytes: Data) -> String {
        Hex.encode(SHA256.hash(data: bytes))
    }

    /// Stores both copies of a new record's key, after checking that the organisation's copy
    /// opens with the custodian key of `depositor`'s organisation. A record's keys are written once.
    func deposit(cid: CID, patientKey: Data, organizationKey: Data, depositor: Identity) throws -> (patient: String, organization: String) {
        let custodian = try self.custodian(of: depositor.mspID)
        guard !patientKey.isEmpty else { throw RecordAccessError.emptyPatientKey }
        do {
            _ = try KeyWrap.unwrap(organizationKey, with: try Self.agreementKey(custodian), record: cid)
        } catch {
            throw RPCError(
                code: .invalidArgument,
                message: "organization_key does not open with the custodian key of \(depositor.mspID) for \(cid): \(error)")
        }
        let copy = Self.organizationCopy(depositor.mspID)
        // Any copy already there means the record's keys were deposited (perhaps by another
        // organisation): never replace them.
        if keys.hasAnyCopy(of: cid) {
            throw RecordAccessError.keysAlreadyDeposited(cid: cid)
        }
        try keys.save(patientKey, record: cid, reader: Self.patientCopy)
        try keys.save(organizationKey, record: cid, reader: copy)
        return (Self.digest(patientKey), Self.digest(organizationKey))
    }

    /// The data key of `cid`, taken from `authorMSP`'s copy (which must match the ledger's
    /// `digest`) and wrapped to `reader`'s certificate key.
    func release(cid: CID, authorMSP: String, digest: String, to reader: Identity) throws -> Data {
        let dataKey = try self.dataKey(cid: cid, authorMSP: authorMSP, digest: digest)
        let readerKey = try P256.KeyAgreement.PublicKey(rawRepresentation: reader.publicKey.rawRepresentation)
        return try KeyWrap.wrap(dataKey, to: readerKey, record: cid)
    }

    /// The data key of `cid`, unwrapped from `authorMSP`'s copy, which must match the ledger's
    /// `digest`. For the node's own use on the ledger's say-so (research export); never returned.
    func dataKey(cid: CID, authorMSP: String, digest: String) throws -> SymmetricKey {
        let custodian = try self.custodian(of: authorMSP)
        let wrapped: Data
        do { wrapped = try keys.load(record: cid, reader: Self.organizationCopy(authorMSP)) } catch {
            throw RecordAccessError.noKeyHeld(cid: cid)
        }
        guard Self.digest(wrapped) == digest else {
            throw RecordAccessError.keyDigestMismatch(cid: cid)
        }
        return try KeyWrap.unwrap(wrapped, with: try Self.agreementKey(custodian), record: cid)
    }

    /// The peer certificate an organisation's key copies are wrapped to.
    func certificate(of mspID: String) throws -> Data {
        try custodian(of: mspID).signer.certificateDER
    }

    private func custodian(of mspID: String) throws -> HostedPeer {
        guard let peer = peers.first(where: { $0.mspID == mspID }) else {
            throw RecordAccessError.notCustodian(mspID: mspID)
        }
        return peer
    }

    /// The public key an organisation's copies are wrapped to.
    func agreementKey(of mspID: String) throws -> P256.KeyAgreement.PublicKey {
        try P256.KeyAgreement.PublicKey(rawRepresentation: try custodian(of: mspID).signer.key.publicKey.rawRepresentation)
    }

    private static func agreementKey(_ peer: HostedPeer) throws -> P256.KeyAgreement.PrivateKey {
        try P256.KeyAgreement.PrivateKey(rawRepresentation: peer.signer.key.rawRepresentation)
    }
}
