public import Crypto
public import Foundation
public import RecordCrypto

/// The result of sealing and storing a record.
public struct SealedRecord: Sendable {
    /// The DAG of the sealed bytes (what the ledger points to).
    public var stored: ImportResult
    /// SHA-256 of the plaintext (what the ledger records to prove integrity after decryption).
    public var plaintextSHA256: SHA256Digest
}

extension ContentStore {
    /// Seals `plaintext` pieces with `key` and imports the sealed bytes; plaintext never reaches the store.
    public func addSealed(
        _ plaintext: some Sequence<Data>,
        key: SymmetricKey,
        options: ImportOptions,
        format: SealedStream = try! SealedStream(),
        pin: Bool = true
    ) throws -> SealedRecord {
        var digest: SHA256Digest?
        let result = try add(pin: pin) { sink in
            var sealer = SealingWriter(key: key, format: format)
            var importer = FileImporter(options: options, sink: sink)
            for piece in plaintext { try importer.write(try sealer.write(piece)) }
            let (tail, hash) = try sealer.finish()
            try importer.write(tail)
            digest = hash
            return try importer.finish()
        }
        return SealedRecord(stored: result, plaintextSHA256: digest!)
    }

    /// Decrypts plaintext `[offset, offset+length)` of a sealed record stored at `cid`.
    public func catSealed(_ cid: CID, key: SymmetricKey, offset: UInt64 = 0, length: UInt64? = nil, emit: (Data) async throws -> Void) async throws {
        let reader = self.reader
        let sealedLength = try reader.size(of: cid)
        let sealed = SealedStreamReader(key: key, sealedLength: sealedLength) { start, count, piece in
            try await reader.read(cid, offset: start, length: count, emit: piece)
        }
        try await sealed.plaintext(offset: offset, length: length, emit: emit)
    }

    /// Crypto-shredding: deletes every wrapped copy of the record's key, unpins its DAG and
    /// collects it. Returns the number of wrapped keys destroyed.
    @discardableResult
    public func shred(_ cid: CID, keys: WrappedKeyStore) throws -> Int {
        let destroyed = try keys.shred(record: cid)
        try? unpin(cid, recursive: true)
        _ = try collectGarbage()
        return destroyed
    }
}
