public import Foundation

/// Writes a CAR v1 stream (https://ipld.io/specs/transport/car/carv1/): `varint(len) header`, then
/// for each block `varint(len) CID block`.
public enum CARWriter {
    public static func header(roots: [CID]) -> Data {
        let header = CARHeader(roots: roots).encoded()
        return Data(Varint.encode(UInt64(header.count)) + header)
    }

    public static func section(_ cid: CID, _ block: Data) -> Data {
        let cidBytes = cid.bytes
        var out = Data(Varint.encode(UInt64(cidBytes.count + block.count)))
        out.append(contentsOf: cidBytes)
        out.append(block)
        return out
    }
}

/// Reads a CAR v1 stream fed in pieces of any size; every block is checked against its CID.
///
/// Memory is bounded by the largest section (`maximumSectionSize`); a stream that ends inside a
/// section, or before its header, is reported by `finish()`.
public struct CARReader {
    /// Larger than any block Kubo exchanges (2 MiB) plus its CID.
    public static let maximumSectionSize = 4 << 20

    public private(set) var header: CARHeader?
    private var buffer: [UInt8] = []
    private var readPosition = 0

    public init() {}

    /// Adds bytes and returns the blocks completed by them, each verified.
    public mutating func feed(_ bytes: Data) throws(ContentError) -> [(CID, Data)] {
        buffer.append(contentsOf: bytes)
        var blocks: [(CID, Data)] = []
        while let section = try nextSection() {
            if header == nil {
                header = try CARHeader(decoding: Array(section))
                continue
            }
            var index = 0
            let sectionBytes = Array(section)
            let cid: CID
            do {
                cid = try CID.read(sectionBytes, at: &index)
            } catch {
                throw .invalidCAR("bad section CID: \(error)")
            }
            let block = Data(sectionBytes[index...])
            guard try cid.multihash.matches(block) else { throw .hashMismatch(cid: cid.description) }
            blocks.append((cid, block))
        }
        compact()
        return blocks
    }

    /// Checks that the stream ended cleanly and returns its header.
    public func finish() throws(ContentError) -> CARHeader {
        guard let header else { throw .invalidCAR("stream ends before the header is complete") }
        guard buffer.isEmpty else {
            throw .invalidCAR("stream is truncated: \(buffer.count) bytes of an incomplete section")
        }
        return header
    }

    private mutating func nextSection() throws(ContentError) -> ArraySlice<UInt8>? {
        var index = readPosition
        let length: UInt64
        do {
            length = try Varint.read(buffer, at: &index)
        } catch {
            if buffer.count - readPosition < 10 { return nil }  // varint not complete yet
            throw .invalidCAR("bad section length: \(error)")
        }
        guard length > 0, length <= UInt64(Self.maximumSectionSize) else {
            throw .invalidCAR("section length \(length) outside 1...\(Self.maximumSectionSize)")
        }
        guard buffer.count - index >= Int(length) else { return nil }
        let section = buffer[index..<index + Int(length)]
        readPosition = index + Int(length)
        return section
    }

    private mutating func compact() {
        guard readPosition > 0 else { return }
        buffer.removeFirst(readPosition)
        readPosition = 0
    }
}

extension ContentStore {
    /// Streams the DAGs under `roots` as a CAR v1 file, blocks in depth-first pre-order.
    public func exportCAR(roots: [CID], emit: (Data) async throws -> Void) async throws {
        try await emit(CARWriter.header(roots: roots))
        var seen: Set<Multihash> = []
        for root in roots {
            var stack: [CID] = [root]
            while let cid = stack.popLast() {
                guard seen.insert(cid.multihash).inserted else { continue }
                let block = try blocks.get(cid)
                try await emit(CARWriter.section(cid, block))
                stack.append(contentsOf: try DagNode(block: block, cid: cid).links.reversed())
            }
        }
    }

    /// Imports a CAR stream; nothing reaches the store unless it hashes to its CID. Blocks are
    /// leased against collection until the import ends and all written (pipelined) before the
    /// roots are pinned, when asked.
    public func importCAR(
        _ pieces: some AsyncSequence<Data, any Error>,
        pinRoots: Bool
    ) async throws -> (roots: [CID], blocks: Int) {
        let sink = LeasedSink(store: self, pipelined: true)
        defer { releaseLease(sink) }
        var reader = CARReader()
        var count = 0
        do {
            for try await piece in pieces {
                for (cid, block) in try reader.feed(piece) {
                    try sink.put(block, as: cid)
                    count += 1
                }
            }
        } catch {
            try? sink.flush()
            throw error
        }
        try sink.flush()
        let header = try reader.finish()
        if pinRoots {
            for root in header.roots { try pin(root, recursive: true) }
        }
        return (header.roots, count)
    }
}
