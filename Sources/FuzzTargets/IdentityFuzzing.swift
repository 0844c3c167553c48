internal import CertificateAuthority
internal import Foundation
internal import SwiftASN1
internal import X509

/// Fuzzing of the certificate and CSR parsers identities pass through.
enum IdentityFuzzing {
    static func pem(_ data: Data) {
        _ = try? Certificate(pemEncoded: String(decoding: data, as: UTF8.self))
    }

    static func der(_ data: Data) {
        guard let certificate = try? Certificate(derEncoded: Array(data)) else { return }
        _ = try? certificate.serializeAsPEM()
    }

    static func csr(_ data: Data) {
        _ = try? CertificateAuthority.parseCSR(Array(data))
    }
}
