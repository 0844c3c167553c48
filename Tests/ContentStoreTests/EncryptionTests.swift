import ContentStore
import Crypto
import Foundation
import Testing

@Suite("Sealed streams, HPKE key wrapping and crypto-shredding")
struct EncryptionTests {
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
        await #expect(throws: ContentError.self) { _ = try await Self.open(sealed, key: SealedStream.newDataKey()) }
        // Truncated at a segment boundary: the new last segment was not sealed as last.
        let segment = 64 + 16
        await #expect(throws: ContentError.self) { _ = try await Self.open(sealed.prefix(10 + 2 * segment), key: key) }
        var swapped = sealed
        swapped.replaceSubrange(10..<(10 + segment), with: sealed[(10 + segment)..<(10 + 2 * segment)])
        swapped.replaceSubrange((10 + segment)..<(10 + 2 * segment), with: sealed[10..<(10 + segment)])
        await #expect(throws: ContentError.self) { _ = try await Self.open(swapped, key: key) }
        var flipped = sealed
        flipped[5] ^= 1  // the header is authenticated too
        await #expect(throws: ContentError.self) { _ = try await Self.open(flipped, key: key) }
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
        let record = CID.of(Data("r1".utf8), version: 1, codec: .raw)
        let key = SealedStream.newDataKey()
        let wrapped = try KeyWrap.wrap(key, to: reader.publicKey, record: record)
        #expect(try KeyWrap.unwrap(wrapped, with: reader, record: record) == key)
        #expect(throws: ContentError.self) { try KeyWrap.unwrap(wrapped, with: other, record: record) }
        #expect(throws: ContentError.self) { try KeyWrap.unwrap(wrapped, with: reader, record: CID.of(Data("r2".utf8), version: 1, codec: .raw)) }
        #expect(throws: ContentError.self) { try KeyWrap.unwrap(wrapped.prefix(40), with: reader, record: record) }
    }

    @Test func sealedRecordRoundTripsThroughTheStoreThenShreddingMakesItUnreadable() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try ContentStore(directory: directory.url.appendingPathComponent("content"))
        let keys = try WrappedKeyStore(root: directory.url.appendingPathComponent("keys"))
        let plaintext = pseudoRandomBytes(300_000, seed: 21)
        let dataKey = SealedStream.newDataKey()
        let record = try store.addSealed([plaintext.prefix(1000), plaintext.dropFirst(1000)], key: dataKey, options: ImportOptions(cidVersion: 1, chunker: Chunker(size: 65_536)))
        #expect(record.plaintextSHA256 == SHA256.hash(data: plaintext))
        // The store holds no plaintext: the sealed bytes it serves differ from the record.
        #expect(try await readAll(store, record.stored.cid, offset: 10, length: 100) != plaintext.prefix(100))

        let doctor = P256.KeyAgreement.PrivateKey()
        try keys.save(try KeyWrap.wrap(dataKey, to: doctor.publicKey, record: record.stored.cid), record: record.stored.cid, reader: "doctor-1")
        let unwrapped = try KeyWrap.unwrap(try keys.load(record: record.stored.cid, reader: "doctor-1"), with: doctor, record: record.stored.cid)
        var range = Data()
        try await store.catSealed(record.stored.cid, key: unwrapped, offset: 70_000, length: 5000) { range.append($0) }
        #expect(range == plaintext[70_000..<75_000])

        #expect(try store.shred(record.stored.cid, keys: keys) == 1)
        #expect(throws: ContentError.self) { try keys.load(record: record.stored.cid, reader: "doctor-1") }
        #expect(!store.blocks.has(record.stored.cid))
    }

    /// Wrapped data keys are key material: files 0600 in directories 0700.
    @Test func wrappedKeysAreReadableByTheNodeAlone() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let root = directory.url.appendingPathComponent("keys")
        let keys = try WrappedKeyStore(root: root)
        let record = CID.of(Data("record".utf8), version: 1, codec: .raw)
        try keys.save(Data(repeating: 1, count: 90), record: record, reader: "patient")
        let mode = { (path: String) in (try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int) ?? -1 }
        let recordDirectory = try #require(try FileManager.default.contentsOfDirectory(atPath: root.path).first)
        let keyDirectory = root.appendingPathComponent(recordDirectory)
        #expect(try mode(root.path) == 0o700 && mode(keyDirectory.path) == 0o700)
        #expect(try mode(keyDirectory.appendingPathComponent("patient.hpke").path) == 0o600)
    }

    @Test func shreddersRacingOnOneRecordAllSucceedAndDestroyEveryCopyOnce() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let keys = try WrappedKeyStore(root: directory.url.appendingPathComponent("keys"))
        for round in 0..<20 {
            let record = CID.of(Data("record-\(round)".utf8), version: 1, codec: .raw)
            for reader in ["patient", "org-HospitalAMSP", "org-HospitalBMSP"] {
                try keys.save(Data(repeating: UInt8(round), count: 90), record: record, reader: reader)
            }
            let counts = try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<4 { group.addTask { try keys.shred(record: record) } }
                return try await group.reduce(into: [Int]()) { $0.append($1) }
            }
            #expect(counts.allSatisfy { $0 == 0 || $0 == 3 } && counts.contains(3), "round \(round): \(counts)")
            #expect(!keys.hasAnyCopy(of: record))
        }
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
