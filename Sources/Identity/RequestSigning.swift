public import Crypto
public import Foundation
public import Schema
internal import Wire

/// Signs payloads as their creator: ECDSA P-256 over SHA-256 of the exact encoded bytes, DER
/// signature. Our encoder is deterministic, so the same message always signs the same bytes.
public struct RequestSigner: Sendable {
    public let key: P256.Signing.PrivateKey
    /// The signer's DER certificate, carried in proposals as `creator`.
    public let certificateDER: Data

    public init(key: P256.Signing.PrivateKey, certificateDER: Data) {
        self.key = key
        self.certificateDER = certificateDER
    }

    /// The DER ECDSA signature of `payload` (signed over its SHA-256).
    public func sign(_ payload: Data) throws -> Data {
        try key.signature(for: payload).derRepresentation
    }

    /// The DER ECDSA signature whose message has SHA-256 `digest`: the same signature `sign`
    /// makes over that message, for a caller that needs the digest itself too.
    public func sign(digest: SHA256.Digest) throws -> Data {
        try key.signature(for: digest).derRepresentation
    }

    /// Encodes `proposal` (with this signer as creator) and signs the bytes.
    public func sign(_ proposal: Medledger_V1_Proposal) throws -> Medledger_V1_SignedProposal {
        var proposal = proposal
        proposal.creator = certificateDER
        var signed = Medledger_V1_SignedProposal()
        signed.proposalBytes = proposal.serializedData()
        signed.signature = try sign(signed.proposalBytes)
        return signed
    }

    /// Encodes `transaction` and signs the bytes into an envelope.
    public func envelope(_ transaction: Medledger_V1_Transaction) throws -> Medledger_V1_Envelope {
        var envelope = Medledger_V1_Envelope()
        envelope.payload = transaction.serializedData()
        envelope.signature = try sign(envelope.payload)
        return envelope
    }
}

/// Checks creator signatures made by `RequestSigner`, independent of any TLS connection.
public struct SignatureVerifier: Sendable {
    public let membership: Membership

    public init(membership: Membership) {
        self.membership = membership
    }

    /// True if `signature` (DER) is `key`'s signature over `payload`.
    public static func isValid(signature: Data, payload: Data, key: P256.Signing.PublicKey) -> Bool {
        guard let parsed = try? P256.Signing.ECDSASignature(derRepresentation: signature) else { return false }
        return key.isValidSignature(parsed, for: payload)
    }

    /// Decodes the proposal, validates its creator's certificate at `time` and checks the signature.
    public func verify(_ signed: Medledger_V1_SignedProposal, at time: Date) throws(SignatureError)
        -> (Medledger_V1_Proposal, Identity)
    {
        let proposal: Medledger_V1_Proposal
        do { proposal = try Medledger_V1_Proposal(serializedData: signed.proposalBytes) } catch {
            throw .malformedPayload("\(error)")
        }
        let creator: Identity
        do { creator = try membership.validate(der: proposal.creator, at: time) } catch {
            throw .creatorRejected(error)
        }
        guard Self.isValid(signature: signed.signature, payload: signed.proposalBytes, key: creator.publicKey) else {
            throw .badSignature(signer: creator.description)
        }
        return (proposal, creator)
    }

    /// Checks an envelope's signature against the identity that created its transaction.
    public func verify(_ envelope: Medledger_V1_Envelope, creator: Identity) throws(SignatureError) {
        guard Self.isValid(signature: envelope.signature, payload: envelope.payload, key: creator.publicKey) else {
            throw .badSignature(signer: creator.description)
        }
    }
}

/// Why a signed request was refused.
public enum SignatureError: Error, Equatable, CustomStringConvertible {
    case malformedPayload(String)
    case creatorRejected(MembershipError)
    case badSignature(signer: String)

    public var description: String {
        switch self {
        case .malformedPayload(let why): "the signed payload does not decode: \(why)"
        case .creatorRejected(let why): "the creator is not a member: \(why)"
        case .badSignature(let signer): "the signature does not verify against the certificate of \(signer)"
        }
    }
}
