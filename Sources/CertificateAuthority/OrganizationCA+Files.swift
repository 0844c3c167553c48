public import Identity
import Crypto
public import Foundation
internal import SwiftASN1
import X509

/// An organisation CA's directory: `ca-cert.pem`, `ca-key.pem` (PKCS#8, mode 0600) and `ca.sqlite`.
extension OrganizationCA {
    public static func certificatePath(in directory: URL) -> String { directory.appendingPathComponent("ca-cert.pem").path }
    public static func keyPath(in directory: URL) -> String { directory.appendingPathComponent("ca-key.pem").path }
    public static func databasePath(in directory: URL) -> String { directory.appendingPathComponent("ca.sqlite").path }

    /// True if `directory` holds a CA.
    public static func exists(in directory: URL) -> Bool {
        FileManager.default.fileExists(atPath: certificatePath(in: directory))
    }

    /// Creates a new CA in `directory`; refuses to overwrite an existing one.
    public static func initialize(in directory: URL, mspID: String, name: String, policy: Policy = Policy()) throws
        -> OrganizationCA
    {
        guard !exists(in: directory) else {
            throw CAError.invalidRequest("a CA already exists in \(directory.path)")
        }
        guard !mspID.isEmpty, !name.isEmpty else { throw CAError.invalidRequest("the MSP ID and CA name must not be empty") }
        return try store(try CertificateAuthority.create(mspID: mspID, name: name), in: directory, policy: policy)
    }

    /// Creates in `directory` an intermediate CA that the CA of `rootDirectory` delegates to
    /// (`CertificateAuthority.issueIntermediate`): it issues identities of the same organisation,
    /// which members accept once a channel lists its certificate (`intermediate_certs`).
    public static func initializeIntermediate(
        in directory: URL, delegatedBy rootDirectory: URL, name: String, validity: TimeInterval, policy: Policy = Policy()
    ) throws -> OrganizationCA {
        guard !exists(in: directory) else {
            throw CAError.invalidRequest("a CA already exists in \(directory.path)")
        }
        let root = try open(in: rootDirectory)
        return try store(try root.authority.issueIntermediate(name: name, validity: validity), in: directory, policy: policy)
    }

    /// Writes `authority`'s key and certificate and a new registration store into `directory`.
    private static func store(_ authority: CertificateAuthority, in directory: URL, policy: Policy) throws -> OrganizationCA {
        try SecureFile.makeDirectory(directory.path)
        // The key goes first so that a crash never leaves a certificate whose key is missing.
        try SecureFile.save(authority.signingKey.pemRepresentation + "\n", to: keyPath(in: directory), mode: 0o600)
        let store = try RegistrationStore(path: databasePath(in: directory))
        try SecureFile.save(
            try authority.rootCertificate.serializeAsPEM().pemString + "\n",
            to: certificatePath(in: directory),
            mode: 0o644
        )
        return OrganizationCA(authority: authority, store: store, policy: policy)
    }

    /// Opens the CA in `directory`.
    public static func open(in directory: URL, policy: Policy = Policy()) throws -> OrganizationCA {
        let certificate: Certificate
        let key: P256.Signing.PrivateKey
        do {
            certificate = try Certificate(pemEncoded: String(contentsOfFile: certificatePath(in: directory), encoding: .utf8))
            key = try P256.Signing.PrivateKey(pemRepresentation: String(contentsOfFile: keyPath(in: directory), encoding: .utf8))
        } catch {
            throw CAError.storage("cannot read the CA in \(directory.path): \(type(of: error))")
        }
        let mspID = Membership.values(of: .RDNAttributeType.organizationName, in: certificate.subject).first ?? ""
        let authority = try CertificateAuthority(mspID: mspID, rootCertificate: certificate, signingKey: key)
        return OrganizationCA(authority: authority, store: try RegistrationStore(path: databasePath(in: directory)), policy: policy)
    }

    /// This CA as the only member of a membership, with its current revocations.
    public func membership() throws -> Membership {
        Membership(organizations: [
            .init(mspID: mspID, rootCertificate: authority.rootCertificate, revokedSerials: try revokedSerials())
        ])
    }
}
