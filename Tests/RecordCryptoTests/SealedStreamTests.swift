import Crypto
import Foundation
import MedLedgerTesting
import RecordCrypto
import Testing

func hex(_ text: String) -> Data {
    Data(stride(from: 0, to: text.count, by: 2).map { offset in
        let start = text.index(text.startIndex, offsetBy: offset)
        return UInt8(text[start..<text.index(start, offsetBy: 2)], radix: 16)!
    })
}

@Suite("Sealed streams and HPKE key wrapping")
struct SealedStreamTests {
    static func seal(_ plaintext: Data, key: SymmetricKey, segmentSize: Int) throws -> (Data, SHA256Digest) {
        var writer = SealingWriter(key: key, format: try SealedStream(segmentSize: segmentSize))
        var sealed = Data()
        var start = plaintext.startIndex
        while start < plaintext.endIndex {
            let end = min(start + 37, plaintext.endIndex)
            sealed += try writer.write(plaintext[start..<end])
            start = end
        }
        let (tail, digest) = try writer.finish()
        return (sealed + tail, digest)
    }

    static func open(_ sealed: Data, key: SymmetricKey, offset: UInt64 = 0, length: UInt64? = nil) async throws -> Data {
        let reader = SealedStreamReader(key: key, sealedLength: UInt64(sealed.count)) { start, count in
            sealed[Int(start)..<min(sealed.count, Int(start + count))]
        }
        var out = Data()
        try await reader.plaintext(offset: offset, length: length) { out.append($0) }
        return out
    }

    @Test(arguments: [0, 1, 63, 64, 65, 128, 1000])
    func roundTripAndRanges(size: Int) async throws {
        let key = SealedStream.newDataKey()
        let plaintext = pseudoRandomBytes(size, seed: UInt64(size) + 3)
        let (sealed, digest) = try Self.seal(plaintext, key: key, segmentSize: 64)
        #expect(digest == SHA256.hash(data: plaintext))
        #expect(UInt64(sealed.count) == (try SealedStream(segmentSize: 64)).sealedLength(plaintextLength: UInt64(size)))
        #expect(try await Self.open(sealed, key: key) == plaintext)
        for (offset, length) in [(0, 10), (60, 10), (size / 2, 200), (size, 5)] where offset <= size {
            let expected = plaintext[offset..<min(size, offset + length)]
            #expect(try await Self.open(sealed, key: key, offset: UInt64(offset), length: UInt64(length)) == expected)
        }
    }

    @Test func wrongKeyTruncationAndReorderingAreDetected() async throws {
        let key = SealedStream.newDataKey()
        let (sealed, _) = try Self.seal(pseudoRandomBytes(300, seed: 5), key: key, segmentSize: 64)
        await #expect(throws: RecordCryptoError.self) { _ = try await Self.open(sealed, key: SealedStream.newDataKey()) }
        // Truncated at a segment boundary: the new last segment was not sealed as last.
        let segment = 64 + 16
        await #expect(throws: RecordCryptoError.self) { _ = try await Self.open(sealed.prefix(10 + 2 * segment), key: key) }
        var swapped = sealed
        swapped.replaceSubrange(10..<(10 + segment), with: sealed[(10 + segment)..<(10 + 2 * segment)])
        swapped.replaceSubrange((10 + segment)..<(10 + 2 * segment), with: sealed[10..<(10 + segment)])
        await #expect(throws: RecordCryptoError.self) { _ = try await Self.open(swapped, key: key) }
        var flipped = sealed
        flipped[5] ^= 1  // the header is authenticated too
        await #expect(throws: RecordCryptoError.self) { _ = try await Self.open(flipped, key: key) }
    }

    /// RFC 9180 test vectors, base mode, DHKEM(P-256, HKDF-SHA256), HKDF-SHA256, with AES-128-GCM
    /// (appendix A.3.1) and AES-256-GCM (the CFRG vector set): swift-crypto's recipient must open them.
    @Test(arguments: [
        (HPKE.AEAD.AES_GCM_128, "f3ce7fdae57e1a310d87f1ebbde6f328be0a99cdbcadf4d6589cf29de4b8ffd2",
         "04a92719c6195d5085104f469a8b9814d5838ff72b60501e2c4466e5e67b325ac98536d7b61a1af4b78e5b7f951c0900be863c403ce65c9bfcb9382657222d18c4",
         "5ad590bb8baa577f8619db35a36311226a896e7342a6d836d8b7bcd2f20b6c7f9076ac232e3ab2523f39513434"),
        (HPKE.AEAD.AES_GCM_256, "317f915db7bc629c48fe765587897e01e282d3e8445f79f27f65d031a88082b2",
         "04c06b4f6bebc7bb495cb797ab753f911aff80aefb86fd8b6fcc35525f3ab5f03e0b21bd31a86c6048af3cb2d98e0d3bf01da5cc4c39ff5370d331a4f1f7d5a4e0",
         "58c61a45059d0c5704560e9d88b564a8b63f1364b8d1fcb3c4c6ddc1d291742465e902cd216f8908da49f8f96f"),
    ])
    func hpkeRFC9180Vectors(aead: HPKE.AEAD, skRm: String, enc: String, ciphertext: String) throws {
        let suite = HPKE.Ciphersuite(kem: .P256_HKDF_SHA256, kdf: .HKDF_SHA256, aead: aead)
        var recipient = try HPKE.Recipient(
            privateKey: try P256.KeyAgreement.PrivateKey(rawRepresentation: hex(skRm)),
            ciphersuite: suite,
            info: hex("4f6465206f6e2061204772656369616e2055726e"),
            encapsulatedKey: hex(enc)
        )
        let plaintext = try recipient.open(hex(ciphertext), authenticating: hex("436f756e742d30"))
        #expect(plaintext == Data("Beauty is truth, truth beauty".utf8))
    }


    @Test func wrappedKeysOpenOnlyForTheirReaderAndRecord() throws {
        let reader = P256.KeyAgreement.PrivateKey()
        let other = P256.KeyAgreement.PrivateKey()
        let record = Data("cid-1".utf8)
        let key = SealedStream.newDataKey()
        let wrapped = try KeyWrap.wrap(key, to: reader.publicKey, recordCID: record)
        #expect(try KeyWrap.unwrap(wrapped, with: reader, recordCID: record) == key)
        #expect(throws: RecordCryptoError.self) { try KeyWrap.unwrap(wrapped, with: other, recordCID: record) }
        #expect(throws: RecordCryptoError.self) { try KeyWrap.unwrap(wrapped, with: reader, recordCID: Data("cid-2".utf8)) }
        #expect(throws: RecordCryptoError.self) { try KeyWrap.unwrap(wrapped.prefix(40), with: reader, recordCID: record) }
    }
}

@Suite("Sealed stream writer")
struct SealingWriterTests {
    /// One large write and many small ones must give the same stream (segment cuts do not depend
    /// on how the plaintext arrives).
    @Test func pieceSizesDoNotChangeTheStream() throws {
        let key = SealedStream.newDataKey()
        let format = try SealedStream(segmentSize: 1000)
        let plaintext = pseudoRandomBytes(25_500, seed: 8)
        var whole = SealingWriter(key: key, format: format)
        var wholeBytes = try whole.write(plaintext)
        wholeBytes += try whole.finish().sealed
        var pieces = SealingWriter(key: key, format: format)
        var pieceBytes = Data()
        for start in stride(from: 0, to: plaintext.count, by: 333) {
            pieceBytes += try pieces.write(plaintext[start..<min(plaintext.count, start + 333)])
        }
        pieceBytes += try pieces.finish().sealed
        #expect(wholeBytes == pieceBytes)
        #expect(UInt64(wholeBytes.count) == format.sealedLength(plaintextLength: 25_500))
    }
}
