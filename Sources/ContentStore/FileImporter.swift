public import Foundation

/// What an import produced: the root's CID, the file's size and the DAG's cumulative size.
public struct ImportResult: Hashable, Sendable {
    public var cid: CID
    /// File bytes below the root.
    public var size: UInt64
    /// The root's Tsize: every block's encoded size, summed over the DAG.
    public var dagSize: UInt64
}

/// Builds a file's DAG exactly as Kubo's balanced importer does, from bytes written in any pieces.
///
/// Memory stays bounded: one chunk buffer plus at most `maximumLinks` pending links per tree level;
/// every block goes to the sink as soon as it is complete.
public struct FileImporter {
    /// A finished child waiting for its parent.
    struct Child {
        var cid: CID
        var tsize: UInt64
        var filesize: UInt64
    }

    public let options: ImportOptions
    private let sink: any BlockSink
    private var buffer = Data()
    private var levels: [[Child]] = [[]]
    private var totalSize: UInt64 = 0

    public init(options: ImportOptions, sink: any BlockSink) {
        self.options = options
        self.sink = sink
        buffer.reserveCapacity(options.chunker.size)
    }

    /// Adds the next bytes of the file.
    public mutating func write(_ bytes: Data) throws(ContentError) {
        var remaining = bytes[...]
        while !remaining.isEmpty {
            let take = min(options.chunker.size - buffer.count, remaining.count)
            buffer.append(remaining.prefix(take))
            remaining = remaining.dropFirst(take)
            if buffer.count == options.chunker.size {
                try emitLeaf()
            }
        }
    }

    /// Writes the remaining blocks and returns the root.
    public mutating func finish() throws(ContentError) -> ImportResult {
        if !buffer.isEmpty || (totalSize == 0 && levels[0].isEmpty) {
            try emitLeaf()
        }
        var level = 0
        while true {
            if level == levels.count - 1 && levels[level].count == 1 {
                let root = levels[level][0]
                return ImportResult(cid: root.cid, size: root.filesize, dagSize: root.tsize)
            }
            let parent = try makeParent(levels[level])
            levels[level] = []
            try push(parent, level: level + 1)
            level += 1
        }
    }

    private mutating func emitLeaf() throws(ContentError) {
        let chunk = buffer
        buffer = Data()
        buffer.reserveCapacity(options.chunker.size)
        totalSize += UInt64(chunk.count)
        let block: Data
        let cid: CID
        if options.rawLeaves {
            block = chunk
            cid = CID.of(chunk, version: 1, codec: .raw)
        } else {
            block = DagPBNode(data: UnixFSNode.fileLeaf(chunk).encoded()).encoded()
            cid = options.dagPBCID(block)
        }
        try sink.put(block, as: cid)
        try push(Child(cid: cid, tsize: UInt64(block.count), filesize: UInt64(chunk.count)), level: 0)
    }

    /// Appends `child` at `level`, first closing a full node there into the level above.
    private mutating func push(_ child: Child, level: Int) throws(ContentError) {
        if levels.count == level { levels.append([]) }
        if levels[level].count == options.maximumLinks {
            let parent = try makeParent(levels[level])
            levels[level] = []
            try push(parent, level: level + 1)
        }
        levels[level].append(child)
    }

    private func makeParent(_ children: [Child]) throws(ContentError) -> Child {
        let filesize = children.reduce(0) { $0 + $1.filesize }
        let header = UnixFSNode(kind: .file, filesize: filesize, blocksizes: children.map(\.filesize))
        let node = DagPBNode(
            links: children.map { DagPBLink(cid: $0.cid, name: "", tsize: $0.tsize) },
            data: header.encoded()
        )
        let block = node.encoded()
        let cid = options.dagPBCID(block)
        try sink.put(block, as: cid)
        let tsize = UInt64(block.count) + children.reduce(0) { $0 + $1.tsize }
        return Child(cid: cid, tsize: tsize, filesize: filesize)
    }
}

extension FileImporter {
    /// Imports everything `handle` yields, reading one chunk at a time.
    public static func importFile(
        at url: URL,
        options: ImportOptions,
        sink: any BlockSink,
        progress: ((UInt64) -> Void)? = nil
    ) throws(ContentError) -> ImportResult {
        let handle: FileHandle
        do {
            handle = try FileHandle(forReadingFrom: url)
        } catch {
            throw .io(path: url.path, reason: "cannot open: \(error.localizedDescription)")
        }
        defer { try? handle.close() }
        var importer = FileImporter(options: options, sink: sink)
        var read: UInt64 = 0
        while true {
            let piece: Data?
            do {
                piece = try handle.read(upToCount: max(options.chunker.size, 1 << 20))
            } catch {
                throw .io(path: url.path, reason: "read failed: \(error.localizedDescription)")
            }
            guard let piece, !piece.isEmpty else { break }
            try importer.write(piece)
            read += UInt64(piece.count)
            progress?(read)
        }
        return try importer.finish()
    }
}
