internal import Crypto
public import Foundation
public import Identity
public import CertificateAuthority
public import Logging
internal import SwiftASN1
public import X509

/// The node's TLS server identity, issued by its organisation's CA: `server.pem`, `server-key.pem`
/// (mode 0600, never logged) and `ca.pem` (the org root clients trust) in one directory.
///
/// Stored files are reused until two thirds of the certificate's lifetime have passed (then renewed,
/// like Fabric's recommended practice), or sooner if they no longer match the CA or the host names.
public struct NodeTLSIdentity: RenewingTLSMaterialSource {
    public var directory: URL
    public var ca: OrganizationCA
    public var nodeName: String
    /// Extra DNS names or IP addresses beside `localhost`, `127.0.0.1` and `::1`.
    public var hostnames: [String]
    public var validity: TimeInterval
    /// The fraction of the lifetime after which the certificate is renewed.
    public var renewalFraction: Double

    private let logger: Logger

    public init(
        directory: URL,
        ca: OrganizationCA,
        nodeName: String = "node",
        hostnames: [String] = [],
        validity: TimeInterval = 90 * 24 * 3600,
        renewalFraction: Double = 2.0 / 3.0,
        logger: Logger = Logger(label: "medledger.tls")
    ) {
        self.directory = directory
        self.ca = ca
        self.nodeName = nodeName
        self.hostnames = hostnames
        self.validity = validity
        self.renewalFraction = renewalFraction
        self.logger = logger
    }

    public var caCertificatePath: String { directory.appendingPathComponent("ca.pem").path }
    public var serverCertificatePath: String { directory.appendingPathComponent("server.pem").path }
    public var serverKeyPath: String { directory.appendingPathComponent("server-key.pem").path }

    public func loadServerTLSMaterial() throws -> ServerTLSMaterial {
        try loadOrRenew(now: Date())
    }

    /// Returns the stored identity if it needs no renewal at `now`, otherwise issues and stores a new one.
    public func loadOrRenew(now: Date) throws -> ServerTLSMaterial {
        guard FileManager.default.fileExists(atPath: serverCertificatePath) else {
            logger.info("issuing the node's first TLS certificate", metadata: ["directory": "\(directory.path)"])
            return try issue(now: now)
        }
        switch reusableMaterial(now: now) {
        case .success(let material):
            return material
        case .failure(let reason):
            logger.info("issuing node TLS certificate", metadata: ["directory": "\(directory.path)", "reason": "\(reason)"])
            return try issue(now: now)
        }
    }

    /// When the stored certificate is due for renewal (nil if there is none).
    public func renewalDate() -> Date? {
        guard let pem = try? String(contentsOfFile: serverCertificatePath, encoding: .utf8),
              let certificate = try? Certificate(pemEncoded: pem)
        else { return nil }
        return Self.renewalDate(of: certificate, fraction: renewalFraction)
    }

    /// When the current certificate is due for renewal.
    public static func renewalDate(of certificate: Certificate, fraction: Double) -> Date {
        let lifetime = certificate.notValidAfter.timeIntervalSince(certificate.notValidBefore)
        return certificate.notValidBefore.addingTimeInterval(lifetime * fraction)
    }

    private func reusableMaterial(now: Date) -> Result<ServerTLSMaterial, NotReusable> {
        do {
            let serverPEM = try String(contentsOfFile: serverCertificatePath, encoding: .utf8)
            let keyPEM = try String(contentsOfFile: serverKeyPath, encoding: .utf8)
            let server = try Certificate(pemEncoded: serverPEM)
            let key = try P256.Signing.PrivateKey(pemRepresentation: keyPEM)
            let root = ca.authority.rootCertificate
            guard now < Self.renewalDate(of: server, fraction: renewalFraction) else {
                return .failure(NotReusable("server.pem is past \(Int(renewalFraction * 100))% of its lifetime"))
            }
            guard server.publicKey == Certificate.PublicKey(key.publicKey) else {
                return .failure(NotReusable("server-key.pem does not match server.pem"))
            }
            guard server.issuer == root.subject, root.publicKey.isValidSignature(server.signature, for: server) else {
                return .failure(NotReusable("server.pem was not issued by the organisation CA"))
            }
            let named = Set(try server.extensions.subjectAlternativeNames?.map(HostNames.canonical) ?? [])
            if let absent = HostNames.required(adding: hostnames).first(where: { !named.contains(HostNames.canonical($0)) }) {
                return .failure(NotReusable("server.pem does not name \(absent)"))
            }
            let rootPEM = try root.serializeAsPEM().pemString + "\n"
            return .success(ServerTLSMaterial(certificateChainPEM: [serverPEM], privateKeyPEM: keyPEM, trustRootPEM: rootPEM))
        } catch {
            return .failure(NotReusable("the stored certificate or key cannot be read (\(error))"))
        }
    }

    private func issue(now: Date) throws -> ServerTLSMaterial {
        let key = P256.Signing.PrivateKey()
        let certificate = try ca.issueNodeTLSCertificate(
            nodeName: nodeName, hostNames: hostnames, publicKey: key.publicKey, validity: validity, now: now
        )
        let serverPEM = try certificate.serializeAsPEM().pemString + "\n"
        let keyPEM = key.pemRepresentation + "\n"
        let rootPEM = try ca.authority.rootCertificate.serializeAsPEM().pemString + "\n"
        try SecureFile.makeDirectory(directory.path)
        try SecureFile.save(keyPEM, to: serverKeyPath, mode: 0o600)
        try SecureFile.save(rootPEM, to: caCertificatePath, mode: 0o644)
        try SecureFile.save(serverPEM, to: serverCertificatePath, mode: 0o644)
        return ServerTLSMaterial(certificateChainPEM: [serverPEM], privateKeyPEM: keyPEM, trustRootPEM: rootPEM)
    }

    struct NotReusable: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }
}
