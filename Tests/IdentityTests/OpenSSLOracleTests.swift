import CertificateAuthority
import Crypto
import Foundation
import Identity
import MedLedgerTesting
import Schema
import SwiftASN1
import Testing
import X509

/// libssl's command-line tool is the independent judge of our certificates and CRLs.
@Suite("OpenSSL accepts our certificates and CRLs")
struct OpenSSLOracleTests {
    struct Fixture {
        let directory: TemporaryDirectory
        let ca: OrganizationCA
        let caPath: String

        init() throws {
            directory = try TemporaryDirectory()
            ca = try makeCA()
            caPath = try write(try ca.authority.rootCertificate.serializeAsPEM().pemString, named: "ca.pem", in: directory)
        }

        func enroll(_ id: String) throws -> String {
            let secret = try ca.register(enrollmentID: id, role: .clinician, attributes: ["ward": "3"])
            let certificate = try ca.enroll(enrollmentID: id, secret: secret, csr: try IdentityFolder.makeCSR(commonName: id).csr)
            return try write(try certificate.serializeAsPEM().pemString, named: "\(id).pem", in: directory)
        }

        func crlPath() throws -> String {
            let der = try ca.currentCRL()
            let path = directory.url.appendingPathComponent("crl.der").path
            try Data(der).write(to: URL(fileURLWithPath: path))
            let converted = try openssl(["crl", "-inform", "DER", "-in", path, "-out", path + ".pem"])
            #expect(converted.status == 0, "\(converted.output)")
            return path + ".pem"
        }
    }

    @Test("An enrolled certificate verifies against the root for TLS client use")
    func clientCertificate() throws {
        let fixture = try Fixture()
        defer { fixture.directory.remove() }
        let cert = try fixture.enroll("dr.bob")
        let result = try openssl(["verify", "-purpose", "sslclient", "-CAfile", fixture.caPath, cert])
        #expect(result.status == 0, "\(result.output)")
        #expect(result.output.contains("OK"))
    }

    @Test("The node TLS certificate verifies for TLS server use and names loopback")
    func serverCertificate() throws {
        let fixture = try Fixture()
        defer { fixture.directory.remove() }
        let certificate = try fixture.ca.issueNodeTLSCertificate(
            nodeName: "peer0", hostNames: ["peer0.hospital-a.example"], publicKey: P256.Signing.PrivateKey().publicKey,
            validity: 3600
        )
        let path = try write(try certificate.serializeAsPEM().pemString, named: "server.pem", in: fixture.directory)
        for host in ["-verify_ip 127.0.0.1", "-verify_ip ::1", "-verify_hostname localhost", "-verify_hostname peer0.hospital-a.example"] {
            let flags = host.split(separator: " ").map(String.init)
            let result = try openssl(["verify", "-purpose", "sslserver"] + flags + ["-CAfile", fixture.caPath, path])
            #expect(result.status == 0, "\(host): \(result.output)")
        }
        let wrongHost = try openssl(["verify", "-purpose", "sslserver", "-verify_hostname", "evil.example", "-CAfile", fixture.caPath, path])
        #expect(wrongHost.status != 0)
    }

    @Test("OpenSSL verifies our CRL's signature and rejects a certificate it revokes")
    func revocationList() throws {
        let fixture = try Fixture()
        defer { fixture.directory.remove() }
        let kept = try fixture.enroll("kept")
        let revokedPath = try fixture.enroll("gone")
        let revoked = try Certificate(pemEncoded: String(contentsOfFile: revokedPath, encoding: .utf8))
        let (serials, _) = try fixture.ca.revoke(.identity("gone"), reason: 1)
        #expect(serials == [revoked.serialNumber.hexString])

        let crl = try fixture.crlPath()
        let check = try openssl(["crl", "-in", crl, "-CAfile", fixture.caPath, "-noout", "-text"])
        #expect(check.status == 0, "\(check.output)")
        #expect(check.output.contains("verify OK") || check.output.contains("verify ok"), "\(check.output)")
        #expect(check.output.uppercased().contains(revoked.serialNumber.hexString.uppercased()))
        #expect(check.output.contains("Key Compromise"))

        let rejected = try openssl(["verify", "-crl_check", "-CRLfile", crl, "-CAfile", fixture.caPath, revokedPath])
        #expect(rejected.status != 0)
        #expect(rejected.output.contains("revoked"), "\(rejected.output)")
        let accepted = try openssl(["verify", "-crl_check", "-CRLfile", crl, "-CAfile", fixture.caPath, kept])
        #expect(accepted.status == 0, "\(accepted.output)")
    }

    @Test("An empty CRL is also well-formed and signed")
    func emptyCRL() throws {
        let fixture = try Fixture()
        defer { fixture.directory.remove() }
        let check = try openssl(["crl", "-in", try fixture.crlPath(), "-CAfile", fixture.caPath, "-noout"])
        #expect(check.status == 0, "\(check.output)")
    }

    /// RFC 5280 §4.1.2.2: a serial is a positive INTEGER of at most 20 octets. Random 20-byte
    /// serials with the top bit set would need 21; OpenSSL and Python's `cryptography` read
    /// every one of many issued certificates and agree on each serial's size.
    @Test("Serial numbers are positive and at most 20 octets, as OpenSSL and cryptography read them")
    func serialNumbers() throws {
        let fixture = try Fixture()
        defer { fixture.directory.remove() }
        var serials: [String] = []
        var paths: [String] = [fixture.caPath]
        for index in 0..<128 {
            let certificate = try fixture.ca.authority.issue(
                publicKey: .init(P256.Signing.PrivateKey().publicKey),
                profile: .enrollment(enrollmentID: "user-\(index)", role: .clinician, attributes: [:]), validity: 3600)
            #expect(certificate.serialNumber.bytes.count == 20 && certificate.serialNumber.bytes.first! < 0x80)
            serials.append(certificate.serialNumber.hexString)
            paths.append(try write(try certificate.serializeAsPEM().pemString, named: "user-\(index).pem", in: fixture.directory))
        }
        #expect(Set(serials).count == serials.count)
        for path in paths.prefix(16) {
            let result = try openssl(["x509", "-noout", "-serial", "-in", path])
            let hex = result.output.trimmingCharacters(in: .whitespacesAndNewlines).replacingOccurrences(of: "serial=", with: "")
            #expect(result.status == 0 && hex.count <= 40 && !hex.hasPrefix("-"), "\(path): \(result.output)")
        }
        let script = """
            import sys
            from cryptography import x509
            for path in sys.argv[1:]:
                serial = x509.load_pem_x509_certificate(open(path, "rb").read()).serial_number
                octets = (serial.bit_length() + 8) // 8  # DER INTEGER: a sign bit, then the magnitude
                print(format(serial, "x"), octets)
            """
        let run = try runProcessBlocking(["python3", "-c", script] + paths)
        let python = (status: run.status, output: run.standardOutput + run.standardError)
        try #require(python.status == 0, "\(python.output)")
        let lines = python.output.split(separator: "\n").map { $0.split(separator: " ") }
        #expect(lines.count == paths.count)
        for line in lines {
            #expect(line.count == 2 && Int(line[1]).map { $0 >= 1 && $0 <= 20 } == true, "\(line)")
        }
        #expect(lines.dropFirst().map { String($0[0]) } == serials)
    }
}
