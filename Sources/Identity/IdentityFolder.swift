public import Crypto
public import Foundation
import SwiftASN1
public import X509

/// A client identity on disk, as every CLI command and the Swift kit take it (`--identity DIR`):
/// `cert.pem` (the identity's certificate), `key.pem` (its PKCS#8 private key, mode 0600) and
/// `ca.pem` (the organisation's root, which the client trusts for the server's TLS certificate),
/// and, when the node's TLS certificate comes from another organisation's CA (as in the
/// multi-organisation development network), `tls-ca.pem`, the root to trust for TLS instead.
public struct IdentityFolder: Sendable {
    public var directory: URL

    public init(directory: URL) {
        self.directory = directory
    }

    public var certificatePath: String { directory.appendingPathComponent("cert.pem").path }
    public var keyPath: String { directory.appendingPathComponent("key.pem").path }
    public var caPath: String { directory.appendingPathComponent("ca.pem").path }
    public var tlsCAPath: String { directory.appendingPathComponent("tls-ca.pem").path }

    /// The root to trust for the node's TLS certificate: `tls-ca.pem` if present, else `ca.pem`.
    public var tlsTrustPath: String {
        FileManager.default.fileExists(atPath: tlsCAPath) ? tlsCAPath : caPath
    }

    /// Writes `tls-ca.pem`, the root that issued the node's TLS certificate.
    public func saveTLSRoot(_ root: Certificate) throws {
        try SecureFile.save(try root.serializeAsPEM().pemString + "\n", to: tlsCAPath, mode: 0o644)
    }

    /// A fresh P-256 key and a DER PKCS#10 request for it naming `commonName`; the key never leaves the client.
    public static func makeCSR(commonName: String, key: P256.Signing.PrivateKey = P256.Signing.PrivateKey()) throws
        -> (key: P256.Signing.PrivateKey, csr: [UInt8])
    {
        let request = try CertificateSigningRequest(
            version: .v1,
            subject: try DistinguishedName { CommonName(commonName) },
            privateKey: Certificate.PrivateKey(key),
            attributes: CertificateSigningRequest.Attributes(),
            signatureAlgorithm: .ecdsaWithSHA256
        )
        var serializer = DER.Serializer()
        try serializer.serialize(request)
        return (key, serializer.serializedBytes)
    }

    /// Writes the key first (mode 0600), then the certificates.
    public func save(key: P256.Signing.PrivateKey, certificate: Certificate, caCertificate: Certificate) throws {
        try SecureFile.makeDirectory(directory.path)
        try SecureFile.save(key.pemRepresentation + "\n", to: keyPath, mode: 0o600)
        try SecureFile.save(try caCertificate.serializeAsPEM().pemString + "\n", to: caPath, mode: 0o644)
        try SecureFile.save(try certificate.serializeAsPEM().pemString + "\n", to: certificatePath, mode: 0o644)
    }

    /// Replaces the certificate and key (after a re-enrollment).
    public func replace(key: P256.Signing.PrivateKey, certificate: Certificate) throws {
        try SecureFile.save(key.pemRepresentation + "\n", to: keyPath, mode: 0o600)
        try SecureFile.save(try certificate.serializeAsPEM().pemString + "\n", to: certificatePath, mode: 0o644)
    }

    public func loadCertificate() throws -> Certificate {
        try Certificate(pemEncoded: String(contentsOfFile: certificatePath, encoding: .utf8))
    }

    /// The DER bytes of the PEM certificate at `path` (for example another identity's cert.pem).
    public static func loadCertificateDER(path: String) throws -> Data {
        Data(try Certificate(pemEncoded: String(contentsOfFile: path, encoding: .utf8)).derBytes)
    }

    /// The identity as a signer of requests: its key and DER certificate.
    public func loadSigner() throws -> RequestSigner {
        RequestSigner(key: try loadKey(), certificateDER: Data(try loadCertificate().derBytes))
    }

    public func loadKey() throws -> P256.Signing.PrivateKey {
        try P256.Signing.PrivateKey(pemRepresentation: String(contentsOfFile: keyPath, encoding: .utf8))
    }

    public func loadCACertificate() throws -> Certificate {
        try Certificate(pemEncoded: String(contentsOfFile: caPath, encoding: .utf8))
    }
}
