internal import AtomicFiles
internal import CertificateAuthority
internal import Crypto
public import Foundation
internal import SwiftASN1
internal import X509

/// The ordering organisation's CA (an `OrganizationCA` in `ca/`, so every certificate it issues
/// is recorded and revocable) and the TLS files it issues: a certificate for each etcd member
/// (serving clients and talking to the other members) and a client certificate for each orderer
/// that talks to etcd. Keys are written 0600; nothing here is ever logged.
public struct OrderingTLS: Sendable {
    /// A certificate and its private key on disk.
    public struct Files: Sendable {
        public var certificate: URL
        public var key: URL
    }

    public let directory: URL
    private let authority: OrganizationCA

    /// The CA certificate every member and orderer trusts.
    public var caCertificate: URL { URL(fileURLWithPath: OrganizationCA.certificatePath(in: caDirectory)) }

    private var caDirectory: URL { directory.appendingPathComponent("ca", isDirectory: true) }

    /// Opens the CA in `directory` or creates it.
    public static func openOrCreate(directory: URL) throws -> OrderingTLS {
        try AtomicFile.makeDirectory(directory.path, mode: 0o700)
        let caDirectory = directory.appendingPathComponent("ca", isDirectory: true)
        let authority =
            OrganizationCA.exists(in: caDirectory)
            ? try OrganizationCA.open(in: caDirectory)
            : try OrganizationCA.initialize(in: caDirectory, mspID: "MedLedgerOrdering", name: "MedLedger ordering CA")
        return OrderingTLS(directory: directory, authority: authority)
    }

    /// The files of etcd member `name`.
    public func memberFiles(_ name: String) -> Files {
        Files(certificate: directory.appendingPathComponent("\(name).pem"), key: directory.appendingPathComponent("\(name)-key.pem"))
    }

    /// Issues member `name` a certificate for 127.0.0.1 and localhost, for serving and for its
    /// connections to other members.
    func issueMember(_ name: String) throws {
        try issue(name, to: memberFiles(name))
    }

    /// Issues (or reuses) the etcd client certificate of orderer `name`.
    public func clientFiles(_ name: String) throws -> Files {
        let files = Files(
            certificate: directory.appendingPathComponent("client-\(name).pem"), key: directory.appendingPathComponent("client-\(name)-key.pem"))
        if !FileManager.default.fileExists(atPath: files.certificate.path) { try issue(name, to: files) }
        return files
    }

    private func issue(_ name: String, to files: Files) throws {
        let key = P256.Signing.PrivateKey()
        let certificate = try authority.issueNodeTLSCertificate(
            nodeName: name, hostNames: [], publicKey: key.publicKey, validity: 365 * 24 * 3600)
        try AtomicFile.replace(files.key.path, with: Data(key.pemRepresentation.utf8), mode: 0o600)
        try AtomicFile.replace(files.certificate.path, with: Data((try certificate.serializeAsPEM().pemString + "\n").utf8), mode: 0o644)
    }
}
