internal import ContentStore
internal import Crypto
internal import Foundation
internal import GRPCCore
internal import Identity
internal import Wire
internal import RecordCrypto

/// The node's custody of record data keys, off chain: each record's key wrapped to the patient
/// and to the peer of each custodian organisation this node serves — the author's, and the
/// patient's home organisation's when that is another (`WrappedKeyStore`, one file per copy). The ledger
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

    /// Checks a new record's deposit without storing it: the patient's copy is there, the
    /// organisation's copy opens with the custodian key of `depositor`'s organisation, and no
    /// copy of the record's key is held yet (keys are written once, whoever deposited them).
    func checkDeposit(cid: CID, patientKey: Data, organizationKey: Data, depositor: Identity) throws {
        guard !patientKey.isEmpty else { throw RecordAccessError.emptyPatientKey }
        try checkCopy(cid: cid, organizationKey: organizationKey, for: depositor.mspID)
        if keys.hasAnyCopy(of: cid) {
            throw RecordAccessError.keysAlreadyDeposited(cid: cid)
        }
    }

    /// Stores both copies of a new record's key after `checkDeposit`'s checks, or none.
    func deposit(cid: CID, patientKey: Data, organizationKey: Data, depositor: Identity) throws -> (patient: String, organization: String) {
        try checkDeposit(cid: cid, patientKey: patientKey, organizationKey: organizationKey, depositor: depositor)
        do {
            try keys.save(patientKey, record: cid, reader: Self.patientCopy)
            try keys.save(organizationKey, record: cid, reader: Self.organizationCopy(depositor.mspID))
        } catch {
            // Both copies or neither (the checks found none before): a half deposit would make
            // every retry fail as ALREADY_EXISTS once the disk has space again.
            _ = try? keys.shred(record: cid)
            throw error
        }
        return (Self.digest(patientKey), Self.digest(organizationKey))
    }

    /// Checks that `organizationKey` opens with the custodian key of `mspID` (served here).
    func checkCopy(cid: CID, organizationKey: Data, for mspID: String) throws {
        let custodian = try self.custodian(of: mspID)
        do {
            _ = try KeyWrap.unwrap(organizationKey, with: try Self.agreementKey(custodian), record: cid)
        } catch {
            throw RPCError(code: .invalidArgument, message: "organization_key does not open with the custodian key of \(mspID) for \(cid): \(error)")
        }
    }

    /// Stores a copy of a new record's key for `mspID`, an organisation this node serves, that
    /// another organisation's node deposited (the patient's home organisation's copy), after
    /// checking that it opens with `mspID`'s custodian key; keeps the patient's copy too if this
    /// node has none. Each organisation's copy is written once.
    func holdCopy(cid: CID, organizationKey: Data, patientKey: Data, for mspID: String) throws -> String {
        try checkCopy(cid: cid, organizationKey: organizationKey, for: mspID)
        guard (try? keys.load(record: cid, reader: Self.organizationCopy(mspID))) == nil else {
            throw RecordAccessError.replicaAlreadyHeld(cid: cid, mspID: mspID)
        }
        if !patientKey.isEmpty, (try? keys.load(record: cid, reader: Self.patientCopy)) == nil {
            try keys.save(patientKey, record: cid, reader: Self.patientCopy)
        }
        try keys.save(organizationKey, record: cid, reader: Self.organizationCopy(mspID))
        return Self.digest(organizationKey)
    }

    /// Whether this node serves `mspID` (hosts its peer, which its key copies are wrapped to).
    func serves(_ mspID: String) -> Bool {
        peers.contains { $0.mspID == mspID }
    }

    /// The copy among `custodians` that this node holds for an organisation it serves, if any.
    func heldCopy(of cid: CID, among custodians: RecordCustodians) -> RecordCustodians.Copy? {
        custodians.copies.first { copy in
            serves(copy.mspID) && (try? keys.load(record: cid, reader: Self.organizationCopy(copy.mspID))) != nil
        }
    }

    /// The data key of `cid`, taken from `copy` (which must match the ledger's digest) and
    /// wrapped to `reader`'s certificate key.
    func release(cid: CID, from copy: RecordCustodians.Copy, to reader: Identity) throws -> Data {
        let dataKey = try self.dataKey(cid: cid, from: copy)
        let readerKey = try P256.KeyAgreement.PublicKey(rawRepresentation: reader.publicKey.rawRepresentation)
        return try KeyWrap.wrap(dataKey, to: readerKey, record: cid)
    }

    /// The data key of `cid`, unwrapped from `copy`, which must match the ledger's digest. For
    /// the node's own use on the ledger's say-so; never returned.
    func dataKey(cid: CID, from copy: RecordCustodians.Copy) throws -> SymmetricKey {
        let custodian = try self.custodian(of: copy.mspID)
        let wrapped: Data
        do { wrapped = try keys.load(record: cid, reader: Self.organizationCopy(copy.mspID)) } catch {
            throw RecordAccessError.noKeyHeld(cid: cid)
        }
        guard Self.digest(wrapped) == copy.digest else {
            throw RecordAccessError.keyDigestMismatch(cid: cid)
        }
        return try KeyWrap.unwrap(wrapped, with: try Self.agreementKey(custodian), record: cid)
    }

    /// The data key wrapped to a peer this node hosts, opened with that peer's key.
    func unwrap(_ wrapped: Data, cid: CID, as peer: HostedPeer) throws -> SymmetricKey {
        try KeyWrap.unwrap(wrapped, with: try Self.agreementKey(peer), record: cid)
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
