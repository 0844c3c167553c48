public import Crypto
public import Foundation
public import RecordCrypto

extension KeyWrap {
    /// Wraps `dataKey` to `recipient` for the record stored under `record`.
    public static func wrap(_ dataKey: SymmetricKey, to recipient: P256.KeyAgreement.PublicKey, record: CID) throws(RecordCryptoError) -> Data {
        try wrap(dataKey, to: recipient, recordCID: Data(record.bytes))
    }

    /// Unwraps a data key wrapped to `privateKey` for the record stored under `record`.
    public static func unwrap(_ wrapped: Data, with privateKey: P256.KeyAgreement.PrivateKey, record: CID) throws(RecordCryptoError) -> SymmetricKey {
        try unwrap(wrapped, with: privateKey, recordCID: Data(record.bytes))
    }
}
