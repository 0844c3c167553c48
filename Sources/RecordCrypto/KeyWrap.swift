public import Crypto
public import Foundation

/// Wraps a record's data key to a reader's P-256 public key with HPKE (RFC 9180, base mode,
/// DHKEM(P-256, HKDF-SHA256), HKDF-SHA256, AES-256-GCM).
///
/// A wrapped key is `enc (65 bytes) ‖ ciphertext`; `info` binds it to its purpose and the record's
/// CID (its binary form) as associated data binds it to one record, so a wrapped key cannot be
/// replayed for another.
public enum KeyWrap {
    public static let ciphersuite = HPKE.Ciphersuite.P256_SHA256_AES_GCM_256
    static let info = Data("medledger data key v1".utf8)
    static let encapsulatedKeySize = 65

    public static func wrap(_ dataKey: SymmetricKey, to recipient: P256.KeyAgreement.PublicKey, recordCID: Data) throws(RecordCryptoError) -> Data {
        do {
            var sender = try HPKE.Sender(recipientKey: recipient, ciphersuite: ciphersuite, info: info)
            let sealed = try dataKey.withUnsafeBytes { try sender.seal(Data($0), authenticating: recordCID) }
            return sender.encapsulatedKey + sealed
        } catch {
            throw .keyUnwrapFailed("wrapping failed: \(error)")
        }
    }

    public static func unwrap(_ wrapped: Data, with privateKey: P256.KeyAgreement.PrivateKey, recordCID: Data) throws(RecordCryptoError) -> SymmetricKey {
        guard wrapped.count > encapsulatedKeySize + 16 else {
            throw .keyUnwrapFailed("wrapped key of \(wrapped.count) bytes is too short")
        }
        do {
            var recipient = try HPKE.Recipient(
                privateKey: privateKey,
                ciphersuite: ciphersuite,
                info: info,
                encapsulatedKey: wrapped.prefix(encapsulatedKeySize)
            )
            let key = try recipient.open(wrapped.dropFirst(encapsulatedKeySize), authenticating: recordCID)
            guard key.count == 32 else { throw RecordCryptoError.keyUnwrapFailed("unwrapped key is \(key.count) bytes, expected 32") }
            return SymmetricKey(data: key)
        } catch let error as RecordCryptoError {
            throw error
        } catch {
            throw .keyUnwrapFailed("not wrapped to this key, or wrapped for another record")
        }
    }
}
