public import Crypto
public import Foundation

/// MedLedger's sealed-stream format for record content at rest.
///
/// Layout: a 10-byte header `"MLS1" | segmentSize (UInt32 BE) | reserved (UInt16, 0)`, then the
/// plaintext in segments of `segmentSize` bytes (the last may be shorter, or empty for an empty
/// record), each sealed with AES-256-GCM as `ciphertext ‖ tag`. The nonce is
/// `0⁷ ‖ index (UInt32 BE) ‖ last (0 or 1)` and the header is the associated data, after the
/// STREAM construction (Hoang et al., 2015): a key is used for one record only, so nonces never
/// repeat; moving, dropping or truncating segments changes an index or the last flag and fails
/// authentication; any plaintext range decrypts from the segments that cover it.
public struct SealedStream: Sendable {
    public static let magic: [UInt8] = Array("MLS1".utf8)
    public static let headerSize = 10
    public static let tagSize = 16
    public static let defaultSegmentSize = 65_536

    public let segmentSize: Int

    public init(segmentSize: Int = SealedStream.defaultSegmentSize) throws(RecordCryptoError) {
        guard segmentSize >= 16 && segmentSize <= 16 << 20 else {
            throw .invalidSegmentSize(segmentSize)
        }
        self.segmentSize = segmentSize
    }

    /// A fresh 256-bit data key, one per record.
    public static func newDataKey() -> SymmetricKey { SymmetricKey(size: .bits256) }

    public var header: Data {
        var bytes = Self.magic
        bytes += withUnsafeBytes(of: UInt32(segmentSize).bigEndian, Array.init)
        bytes += [0, 0]
        return Data(bytes)
    }

    /// Reads the segment size from a sealed stream's first bytes.
    public init(header: Data) throws(RecordCryptoError) {
        let bytes = Array(header.prefix(Self.headerSize))
        guard bytes.count == Self.headerSize, Array(bytes[0..<4]) == Self.magic, bytes[8] == 0, bytes[9] == 0 else {
            throw .sealedStreamInvalid("not a MedLedger sealed stream (bad header)")
        }
        let size = bytes[4..<8].reduce(0) { $0 << 8 | Int($1) }
        try self.init(segmentSize: size)
    }

    static func nonce(index: UInt64, last: Bool) throws(RecordCryptoError) -> AES.GCM.Nonce {
        guard index <= UInt64(UInt32.max) else { throw .sealedStreamInvalid("more than 2³² segments") }
        var bytes = [UInt8](repeating: 0, count: 7)
        bytes += withUnsafeBytes(of: UInt32(index).bigEndian, Array.init)
        bytes.append(last ? 1 : 0)
        return try! AES.GCM.Nonce(data: bytes)
    }

    func sealSegment(_ plaintext: Data, index: UInt64, last: Bool, key: SymmetricKey) throws(RecordCryptoError) -> Data {
        let nonce = try Self.nonce(index: index, last: last)
        do {
            let box = try AES.GCM.seal(plaintext, using: key, nonce: nonce, authenticating: header)
            return box.ciphertext + box.tag
        } catch {
            throw .sealedStreamInvalid("encryption failed: \(error)")
        }
    }

    func openSegment(_ sealed: Data, index: UInt64, last: Bool, key: SymmetricKey) throws(RecordCryptoError) -> Data {
        guard sealed.count >= Self.tagSize else { throw .sealedStreamInvalid("segment \(index) is truncated") }
        do {
            let box = try AES.GCM.SealedBox(
                nonce: try Self.nonce(index: index, last: last),
                ciphertext: sealed.dropLast(Self.tagSize),
                tag: sealed.suffix(Self.tagSize)
            )
            return try AES.GCM.open(box, using: key, authenticating: header)
        } catch {
            throw .sealedStreamInvalid(
                "segment \(index) fails authentication (wrong key, tampered, truncated or reordered)"
            )
        }
    }

    // MARK: Geometry

    /// Size of the sealed stream for a plaintext of `length` bytes.
    public func sealedLength(plaintextLength length: UInt64) -> UInt64 {
        let segments = max(1, (length + UInt64(segmentSize) - 1) / UInt64(segmentSize))
        return UInt64(Self.headerSize) + length + segments * UInt64(Self.tagSize)
    }

    /// Plaintext size for a sealed stream of `length` bytes; throws if no plaintext seals to it.
    public func plaintextLength(sealedLength length: UInt64) throws(RecordCryptoError) -> UInt64 {
        guard length <= UInt64(Int64.max) else { throw .sealedStreamInvalid("stream length \(length) is impossible") }
        let body = Int64(length) - Int64(Self.headerSize)
        let sealedSegment = Int64(segmentSize + Self.tagSize)
        guard body >= Int64(Self.tagSize) else { throw .sealedStreamInvalid("stream of \(length) bytes is truncated") }
        let full = (body - 1) / sealedSegment
        let lastSealed = body - full * sealedSegment
        guard lastSealed >= Int64(Self.tagSize) else { throw .sealedStreamInvalid("last segment is truncated") }
        return UInt64(full) * UInt64(segmentSize) + UInt64(lastSealed - Int64(Self.tagSize))
    }
}

/// Seals plaintext written in pieces of any size; yields sealed bytes as segments complete.
public struct SealingWriter {
    public let format: SealedStream
    private let key: SymmetricKey
    private var pending = Data()
    private var index: UInt64 = 0
    private var hasher = SHA256()
    private var started = false

    public init(key: SymmetricKey, format: SealedStream) {
        self.key = key
        self.format = format
    }

    /// Seals what `plaintext` completes; the final segment waits for `finish()`, since only then is
    /// it known to be last.
    public mutating func write(_ plaintext: Data) throws(RecordCryptoError) -> Data {
        hasher.update(data: plaintext)
        pending.append(plaintext)
        var out = takeHeader()
        var start = pending.startIndex
        while pending.endIndex - start > format.segmentSize {
            let end = start + format.segmentSize
            out += try format.sealSegment(pending[start..<end], index: index, last: false, key: key)
            start = end
            index += 1
        }
        if start != pending.startIndex { pending = Data(pending[start...]) }
        return out
    }

    /// Seals the last segment; returns it and the plaintext's SHA-256.
    public mutating func finish() throws(RecordCryptoError) -> (sealed: Data, plaintextSHA256: SHA256Digest) {
        var out = takeHeader()
        out += try format.sealSegment(pending, index: index, last: true, key: key)
        pending = Data()
        return (out, hasher.finalize())
    }

    private mutating func takeHeader() -> Data {
        guard !started else { return Data() }
        started = true
        return format.header
    }
}

/// Decrypts a sealed stream, whole or by plaintext range, fetching sealed bytes through `stream`:
/// the segments covering a range are fetched in one ranged read and opened as their bytes arrive,
/// so each stored block is read once and memory stays at about one segment plus one piece.
public struct SealedStreamReader {
    /// Sends the sealed bytes `[offset, offset+length)` to `emit`, in order, in pieces of any size.
    public typealias RangeStream = (_ offset: UInt64, _ length: UInt64, _ emit: (Data) async throws -> Void) async throws -> Void

    let key: SymmetricKey
    let sealedLength: UInt64
    let stream: RangeStream

    public init(key: SymmetricKey, sealedLength: UInt64, stream: @escaping RangeStream) {
        self.key = key
        self.sealedLength = sealedLength
        self.stream = stream
    }

    /// A reader over random access to the sealed bytes, fetched in pieces of at most 1 MiB.
    public init(key: SymmetricKey, sealedLength: UInt64, read: @escaping (_ offset: UInt64, _ length: UInt64) async throws -> Data) {
        self.init(key: key, sealedLength: sealedLength) { offset, length, emit in
            var position = offset
            while position < offset + length {
                let piece = try await read(position, min(1 << 20, offset + length - position))
                guard !piece.isEmpty else { return }
                try await emit(piece)
                position += UInt64(piece.count)
            }
        }
    }

    /// Emits plaintext `[offset, offset+length)` (to the end when nil), decrypting only the segments covering it.
    public func plaintext(offset: UInt64 = 0, length: UInt64? = nil, emit: (Data) async throws -> Void) async throws {
        var header = Data()
        try await stream(0, UInt64(SealedStream.headerSize)) { header.append($0) }
        let format = try SealedStream(header: header)
        let total = try format.plaintextLength(sealedLength: sealedLength)
        guard offset <= total else { throw RecordCryptoError.rangeOutOfBounds(offset: offset, length: length, size: total) }
        let end = min(total, offset + min(length ?? total, total))
        let segment = UInt64(format.segmentSize)
        let sealedSegment = segment + UInt64(SealedStream.tagSize)
        let lastIndex = total == 0 ? 0 : (total - 1) / segment
        // An empty stream still opens its one (empty) segment, so that a wrong key is an error.
        guard end > offset || total == 0 else { return }
        let first = total == 0 ? 0 : offset / segment
        let last = total == 0 ? 0 : (end - 1) / segment
        let sealedStart = UInt64(SealedStream.headerSize) + first * sealedSegment
        let sealedEnd = min(sealedLength, UInt64(SealedStream.headerSize) + (last + 1) * sealedSegment)

        var pending = Data()
        var index = first
        try await stream(sealedStart, sealedEnd - sealedStart) { piece in
            pending.append(piece)
            var consumed = pending.startIndex
            while index <= last {
                let start = index * segment
                let plainCount = min(segment, total - start)
                let sealedCount = Int(plainCount) + SealedStream.tagSize
                guard pending.endIndex - consumed >= sealedCount else { break }
                let plain = try format.openSegment(
                    pending[consumed..<(consumed + sealedCount)], index: index, last: index == lastIndex, key: key)
                consumed += sealedCount
                let lower = Int(max(offset, start) - start)
                let upper = Int(min(end, start + plainCount) - start)
                if upper > lower { try await emit(plain[(plain.startIndex + lower)..<(plain.startIndex + upper)]) }
                index += 1
            }
            if consumed != pending.startIndex { pending = Data(pending[consumed...]) }
        }
        guard index > last else { throw RecordCryptoError.sealedStreamInvalid("segment \(index) is truncated") }
    }
}
