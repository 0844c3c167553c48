internal import Crypto
public import Foundation
public import Logging
internal import SwiftASN1
internal import X509

#if canImport(Glibc)
internal import Glibc
#elseif canImport(Musl)
internal import Musl
#elseif canImport(Darwin)
internal import Darwin
#endif

/// A development TLS identity: a self-signed P-256 CA and a server certificate it issued, kept as
/// `ca.pem`, `server.pem` and `server-key.pem` in one directory.
///
/// The files are created on first use and reused while they are valid for at least
/// `renewalWindow` more and name every required host; otherwise all three are issued anew. The key
/// file is created with mode 0600 and its contents are never logged. Clients trust `ca.pem`.
public struct DevTLSIdentity: ServerTLSMaterialSource {
    /// The directory that holds the three PEM files.
    public var directory: URL
    /// DNS names and IP addresses the server certificate must name, beside `localhost`,
    /// `127.0.0.1` and `::1`.
    public var hostnames: [String]
    /// How long newly issued certificates are valid.
    public var validity: TimeInterval
    /// Certificates that expire sooner than this are replaced.
    public var renewalWindow: TimeInterval

    private let logger: Logger

    public init(
        directory: URL,
        hostnames: [String] = [],
        validity: TimeInterval = 365 * 24 * 60 * 60,
        renewalWindow: TimeInterval = 30 * 24 * 60 * 60,
        logger: Logger = Logger(label: "medledger.tls")
    ) {
        self.directory = directory
        self.hostnames = hostnames
        self.validity = validity
        self.renewalWindow = renewalWindow
        self.logger = logger
    }

    public var caCertificatePath: String { directory.appendingPathComponent("ca.pem").path }
    public var serverCertificatePath: String { directory.appendingPathComponent("server.pem").path }
    public var serverKeyPath: String { directory.appendingPathComponent("server-key.pem").path }

    /// The names the server certificate carries as subject alternative names.
    public var requiredNames: [String] {
        var names = ["localhost", "127.0.0.1", "::1"]
        for name in hostnames where !names.contains(name) {
            names.append(name)
        }
        return names
    }

    public func loadServerTLSMaterial() throws -> ServerTLSMaterial {
        try loadOrCreate(now: Date())
    }

    /// Returns the stored identity if it is still good at `now`, otherwise issues and stores a new one.
    public func loadOrCreate(now: Date) throws -> ServerTLSMaterial {
        switch reusableMaterial(now: now) {
        case .success(let material):
            logger.debug("reusing development TLS identity", metadata: ["directory": "\(directory.path)"])
            return material
        case .failure(let reason):
            logger.info(
                "issuing development TLS identity",
                metadata: ["directory": "\(directory.path)", "reason": "\(reason.description)"]
            )
            return try issue(now: now)
        }
    }

    // MARK: - Reuse

    /// Why stored files are not reused; shown in the log when they are replaced.
    struct NotReusable: Error, CustomStringConvertible {
        var description: String
    }

    private func reusableMaterial(now: Date) -> Result<ServerTLSMaterial, NotReusable> {
        let paths = [caCertificatePath, serverCertificatePath, serverKeyPath]
        if let missing = paths.first(where: { !FileManager.default.fileExists(atPath: $0) }) {
            return .failure(NotReusable(description: "\(missing) does not exist"))
        }
        do {
            let caPEM = try String(contentsOfFile: caCertificatePath, encoding: .utf8)
            let serverPEM = try String(contentsOfFile: serverCertificatePath, encoding: .utf8)
            let keyPEM = try String(contentsOfFile: serverKeyPath, encoding: .utf8)
            let ca = try Certificate(pemEncoded: caPEM)
            let server = try Certificate(pemEncoded: serverPEM)
            let key = try P256.Signing.PrivateKey(pemRepresentation: keyPEM)

            let horizon = now.addingTimeInterval(renewalWindow)
            guard ca.notValidAfter > horizon, server.notValidAfter > horizon else {
                return .failure(NotReusable(description: "a certificate expires within the renewal window"))
            }
            guard server.publicKey == Certificate.PublicKey(key.publicKey) else {
                return .failure(NotReusable(description: "server-key.pem does not match server.pem"))
            }
            guard server.issuer == ca.subject, ca.publicKey.isValidSignature(server.signature, for: server) else {
                return .failure(NotReusable(description: "server.pem was not issued by ca.pem"))
            }
            let named = Set(try server.extensions.subjectAlternativeNames?.map(Self.text(of:)) ?? [])
            if let absent = requiredNames.first(where: { !named.contains(Self.canonical($0)) }) {
                return .failure(NotReusable(description: "server.pem does not name \(absent)"))
            }
            return .success(
                ServerTLSMaterial(certificateChainPEM: [serverPEM], privateKeyPEM: keyPEM, trustRootPEM: caPEM)
            )
        } catch {
            return .failure(NotReusable(description: "stored files are unreadable (\(type(of: error)))"))
        }
    }

    // MARK: - Issuing

    private func issue(now: Date) throws -> ServerTLSMaterial {
        let notBefore = now.addingTimeInterval(-5 * 60)  // tolerate small clock skew between hosts
        let notAfter = now.addingTimeInterval(validity)

        let caKey = P256.Signing.PrivateKey()
        let caPrivateKey = Certificate.PrivateKey(caKey)
        let caName = try DistinguishedName {
            OrganizationName("MedLedger development")
            CommonName("MedLedger development CA")
        }
        let caPublicKey = caPrivateKey.publicKey
        let caKeyIdentifier = SubjectKeyIdentifier(hash: caPublicKey).keyIdentifier
        let ca = try Certificate(
            version: .v3,
            serialNumber: Certificate.SerialNumber(),
            publicKey: caPublicKey,
            notValidBefore: notBefore,
            notValidAfter: notAfter,
            issuer: caName,
            subject: caName,
            signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.isCertificateAuthority(maxPathLength: 0))
                Critical(KeyUsage(keyCertSign: true, cRLSign: true))
                SubjectKeyIdentifier(keyIdentifier: caKeyIdentifier)
            },
            issuerPrivateKey: caPrivateKey
        )

        let serverKey = P256.Signing.PrivateKey()
        let serverPublicKey = Certificate.PublicKey(serverKey.publicKey)
        let alternativeNames = try requiredNames.map(Self.generalName(for:))
        let server = try Certificate(
            version: .v3,
            serialNumber: Certificate.SerialNumber(),
            publicKey: serverPublicKey,
            notValidBefore: notBefore,
            notValidAfter: notAfter,
            issuer: caName,
            subject: try DistinguishedName {
                OrganizationName("MedLedger development")
                CommonName("localhost")
            },
            signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.notCertificateAuthority)
                Critical(KeyUsage(digitalSignature: true))
                try ExtendedKeyUsage([.serverAuth])
                SubjectAlternativeNames(alternativeNames)
                SubjectKeyIdentifier(hash: serverPublicKey)
                AuthorityKeyIdentifier(keyIdentifier: caKeyIdentifier)
            },
            issuerPrivateKey: caPrivateKey
        )

        let caPEM = try ca.serializeAsPEM().pemString + "\n"
        let serverPEM = try server.serializeAsPEM().pemString + "\n"
        let keyPEM = serverKey.pemRepresentation + "\n"

        try Self.makeDirectory(directory.path)
        // The key goes first so that a crash never leaves certificates whose key is missing.
        try Self.writeAtomically(keyPEM, to: serverKeyPath, mode: 0o600)
        try Self.writeAtomically(caPEM, to: caCertificatePath, mode: 0o644)
        try Self.writeAtomically(serverPEM, to: serverCertificatePath, mode: 0o644)

        return ServerTLSMaterial(certificateChainPEM: [serverPEM], privateKeyPEM: keyPEM, trustRootPEM: caPEM)
    }

    // MARK: - Names

    /// An IP address literal as its network-order bytes, or nil for a DNS name.
    static func ipAddressBytes(_ text: String) -> [UInt8]? {
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 {
            return withUnsafeBytes(of: &v4) { Array($0) }
        }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, text, &v6) == 1 {
            return withUnsafeBytes(of: &v6) { Array($0) }
        }
        return nil
    }

    private static func generalName(for name: String) throws -> GeneralName {
        if let bytes = ipAddressBytes(name) {
            return .ipAddress(ASN1OctetString(contentBytes: bytes[...]))
        }
        guard !name.isEmpty, name.allSatisfy({ $0.isASCII && !$0.isWhitespace }) else {
            throw DevTLSIdentityError.invalidHostname(name)
        }
        return .dnsName(name.lowercased())
    }

    /// One spelling per name, so that `::1` and `0:0::1` compare equal.
    private static func canonical(_ name: String) -> String {
        if let bytes = ipAddressBytes(name) {
            return "ip:" + bytes.map(String.init).joined(separator: ".")
        }
        return "dns:" + name.lowercased()
    }

    private static func text(of name: GeneralName) -> String {
        switch name {
        case .ipAddress(let octets):
            return "ip:" + octets.bytes.map(String.init).joined(separator: ".")
        case .dnsName(let dns):
            return "dns:" + dns.lowercased()
        default:
            return "other:\(name)"
        }
    }

    // MARK: - Files

    private static func makeDirectory(_ path: String) throws {
        do {
            try FileManager.default.createDirectory(
                atPath: path,
                withIntermediateDirectories: true,
                attributes: [.posixPermissions: 0o700]
            )
        } catch {
            throw DevTLSIdentityError.cannotCreateDirectory(path: path, reason: "\(error)")
        }
    }

    /// Writes through a temporary file that is created with `mode` (never wider), then renamed, so
    /// readers see either the old file or the whole new one.
    private static func writeAtomically(_ text: String, to path: String, mode: mode_t) throws {
        let temporary = path + ".tmp"
        unlink(temporary)
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
        guard descriptor >= 0 else {
            throw DevTLSIdentityError.cannotWrite(path: temporary, errno: errno)
        }
        var failure: Int32?
        let bytes = Array(text.utf8)
        bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    failure = errno
                    return
                }
                offset += written
            }
        }
        // The umask can only narrow the creation mode; fchmod makes the mode exact.
        if failure == nil, fchmod(descriptor, mode) != 0 { failure = errno }
        if failure == nil, fsync(descriptor) != 0 { failure = errno }
        close(descriptor)
        if failure == nil, rename(temporary, path) != 0 { failure = errno }
        if let failure {
            unlink(temporary)
            throw DevTLSIdentityError.cannotWrite(path: path, errno: failure)
        }
    }
}

/// Why the development TLS identity could not be created.
public enum DevTLSIdentityError: Error, CustomStringConvertible {
    case invalidHostname(String)
    case cannotCreateDirectory(path: String, reason: String)
    case cannotWrite(path: String, errno: Int32)

    public var description: String {
        switch self {
        case .invalidHostname(let name):
            return "'\(name)' is neither an IP address nor a DNS name"
        case .cannotCreateDirectory(let path, let reason):
            return "cannot create directory \(path): \(reason)"
        case .cannotWrite(let path, let code):
            return "cannot write \(path): \(String(cString: strerror(code)))"
        }
    }
}
