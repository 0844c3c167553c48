import ContentStore
import Crypto
import Foundation
import MedLedgerTesting
import RecordCrypto
import Testing

@Suite("Sealed records in the store, wrapped keys by CID, crypto-shredding")
struct EncryptionTests {
    @Test func wrappedKeysOpenOnlyForTheirReaderAndRecord() throws {
        let reader = P256.KeyAgreement.PrivateKey()
        let other = P256.KeyAgreement.PrivateKey()
        let record = CID.of(Data("r1".utf8), version: 1, codec: .raw)
        let key = SealedStream.newDataKey()
        let wrapped = try KeyWrap.wrap(key, to: reader.publicKey, record: record)
        #expect(try KeyWrap.unwrap(wrapped, with: reader, record: record) == key)
        #expect(throws: RecordCryptoError.self) { try KeyWrap.unwrap(wrapped, with: other, record: record) }
        #expect(throws: RecordCryptoError.self) { try KeyWrap.unwrap(wrapped, with: reader, record: CID.of(Data("r2".utf8), version: 1, codec: .raw)) }
        #expect(throws: RecordCryptoError.self) { try KeyWrap.unwrap(wrapped.prefix(40), with: reader, record: record) }
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
