import Foundation
import Server
import Testing

/// The development TLS identity, checked with OpenSSL as an independent judge.
@Suite("Development TLS identity", .timeLimit(.minutes(1)))
struct DevTLSIdentityTests {
    private static let openssl = (command: ["openssl", "version"], install: "apt-get install openssl")

    @Test("The key file is PKCS#8 PEM, readable by its owner only")
    func keyFileMode() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let identity = DevTLSIdentity(directory: directory.url.appendingPathComponent("tls"))
        let material = try identity.loadServerTLSMaterial()

        let attributes = try FileManager.default.attributesOfItem(atPath: identity.serverKeyPath)
        let mode = try #require(attributes[.posixPermissions] as? Int)
        #expect(mode == 0o600, "server-key.pem has mode \(String(mode, radix: 8))")
        #expect(material.privateKeyPEM.hasPrefix("-----BEGIN PRIVATE KEY-----"))
        #expect(!"\(material)".contains("PRIVATE KEY"))
    }

    @Test("openssl verifies server.pem against ca.pem for TLS server use")
    func opensslVerifies() async throws {
        try await requireTool(Self.openssl.command, install: Self.openssl.install)
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let identity = DevTLSIdentity(directory: directory.url, hostnames: ["node1.example", "10.1.2.3"])
        _ = try identity.loadServerTLSMaterial()

        let verify = try await runProcess([
            "openssl", "verify", "-purpose", "sslserver",
            "-CAfile", identity.caCertificatePath, identity.serverCertificatePath,
        ])
        #expect(verify.status == 0, "\(verify.summary)")
        #expect(verify.standardOutput.contains("server.pem: OK"))

        let names = try await runProcess([
            "openssl", "x509", "-noout", "-ext", "subjectAltName,extendedKeyUsage",
            "-in", identity.serverCertificatePath,
        ])
        #expect(names.status == 0, "\(names.summary)")
        for expected in [
            "DNS:localhost", "IP Address:127.0.0.1", "IP Address:0:0:0:0:0:0:0:1",
            "DNS:node1.example", "IP Address:10.1.2.3", "TLS Web Server Authentication",
        ] {
            #expect(names.standardOutput.contains(expected), "missing \(expected) in\n\(names.standardOutput)")
        }
    }

    @Test("A valid identity is reused; one near expiry or missing a hostname is replaced")
    func reuseAndRenewal() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let now = Date()
        let identity = DevTLSIdentity(directory: directory.url)
        let first = try identity.loadOrCreate(now: now)

        let again = try identity.loadOrCreate(now: now.addingTimeInterval(300 * 24 * 60 * 60))
        #expect(again.certificateChainPEM == first.certificateChainPEM)
        #expect(again.trustRootPEM == first.trustRootPEM)

        let nearExpiry = try identity.loadOrCreate(now: now.addingTimeInterval(340 * 24 * 60 * 60))
        #expect(nearExpiry.certificateChainPEM != first.certificateChainPEM)
        #expect(nearExpiry.trustRootPEM != first.trustRootPEM)

        var renamed = identity
        renamed.hostnames = ["node1.example"]
        let withHostname = try renamed.loadOrCreate(now: now.addingTimeInterval(340 * 24 * 60 * 60))
        #expect(withHostname.certificateChainPEM != nearExpiry.certificateChainPEM)
        let mode = try FileManager.default.attributesOfItem(atPath: identity.serverKeyPath)[.posixPermissions]
        #expect(mode as? Int == 0o600)
    }
}
