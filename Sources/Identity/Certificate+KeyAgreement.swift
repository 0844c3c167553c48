public import Crypto
public import X509

extension Certificate {
    /// The certificate's P-256 key in its key-agreement form, to wrap data keys to its holder
    /// (HPKE). Throws if the key is not P-256.
    public var keyAgreementKey: P256.KeyAgreement.PublicKey {
        get throws {
            guard let signing = P256.Signing.PublicKey(publicKey) else {
                throw CertificateKeyError.notP256
            }
            return try P256.KeyAgreement.PublicKey(rawRepresentation: signing.rawRepresentation)
        }
    }
}

/// Why a certificate's key cannot be used for key agreement.
public enum CertificateKeyError: Error, CustomStringConvertible {
    case notP256

    public var description: String { "the certificate's key is not a P-256 key" }
}
