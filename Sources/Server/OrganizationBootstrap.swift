public import Foundation
public import Identity
public import CertificateAuthority
public import Logging
public import Schema
internal import X509

/// What a node needs on its first start, created once under its data directory: the organisation
/// CA (`ca/`) and a bootstrap administrator identity (`admin/`) that can register everyone else.
public struct OrganizationBootstrap: Sendable {
    public var dataDirectory: URL
    public var mspID: String

    /// Where the bootstrap admin's identity folder goes (default `<data>/admin/`); the folder's
    /// name is also the admin's enrollment ID and common name.
    public var adminDirectory: URL

    public init(dataDirectory: URL, mspID: String = "MedLedgerOrg1MSP", adminDirectory: URL? = nil) {
        self.dataDirectory = dataDirectory
        self.mspID = mspID
        self.adminDirectory = adminDirectory ?? dataDirectory.appendingPathComponent("admin", isDirectory: true)
    }

    public var caDirectory: URL { dataDirectory.appendingPathComponent("ca", isDirectory: true) }

    /// Opens the CA, creating it and the bootstrap admin if this is the first start.
    /// Returns the CA and, when it was just created, the admin identity folder.
    public func openOrCreate(logger: Logger) throws -> (ca: OrganizationCA, createdAdmin: IdentityFolder?) {
        if OrganizationCA.exists(in: caDirectory) {
            return (try OrganizationCA.open(in: caDirectory), nil)
        }
        let ca = try OrganizationCA.initialize(in: caDirectory, mspID: mspID, name: "\(mspID) CA")
        logger.info("created organisation CA", metadata: ["msp-id": "\(mspID)", "directory": "\(caDirectory.path)"])
        let admin = IdentityFolder(directory: adminDirectory)
        // Named as its folder is (`admin`, or `hospitala-admin` in a dev network), so that logs and
        // audit trails tell the organisations' admins apart.
        let name = adminDirectory.lastPathComponent
        let secret = try ca.register(enrollmentID: name, role: .admin)
        let (key, csr) = try IdentityFolder.makeCSR(commonName: name)
        let certificate = try ca.enroll(enrollmentID: name, secret: secret, csr: csr)
        try admin.save(key: key, certificate: certificate, caCertificate: ca.authority.rootCertificate)
        logger.info("enrolled bootstrap admin", metadata: ["identity": "\(adminDirectory.path)"])
        return (ca, admin)
    }
}

extension OrganizationBootstrap {
    /// The node's signing identity for `role` (its peer or its orderer), enrolled with the
    /// organisation CA on first use and kept in `<data>/<folder>/` (key mode 0600).
    public func nodeSigner(ca: OrganizationCA, folder: String, enrollmentID: String, role: Medledger_V1_Role) throws -> RequestSigner {
        let identity = IdentityFolder(directory: dataDirectory.appendingPathComponent(folder, isDirectory: true))
        if FileManager.default.fileExists(atPath: identity.keyPath) {
            return try identity.loadSigner()
        }
        let (signer, certificate) = try ca.enrollSigner(enrollmentID: enrollmentID, role: role)
        try identity.save(key: signer.key, certificate: certificate, caCertificate: ca.authority.rootCertificate)
        return signer
    }
}
