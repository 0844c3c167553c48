public import Foundation
internal import Synchronization

/// A pin as `dag pin ls` shows it.
public struct Pin: Hashable, Sendable {
    public enum Kind: String, Sendable { case recursive, direct }
    public var cid: CID
    public var kind: Kind

    public init(cid: CID, kind: Kind) {
        self.cid = cid
        self.kind = kind
    }
}

/// Facts about a DAG (`dag stat`).
public struct DagStat: Hashable, Sendable {
    public enum Kind: Hashable, Sendable { case raw, file, directory, symlink, dagPB }
    public var cid: CID
    public var kind: Kind
    /// File size (0 for directories).
    public var size: UInt64
    /// Bytes of all distinct blocks in the DAG.
    public var cumulativeSize: UInt64
    public var numBlocks: UInt64

    public init(cid: CID, kind: Kind, size: UInt64, cumulativeSize: UInt64, numBlocks: UInt64) {
        self.cid = cid
        self.kind = kind
        self.size = size
        self.cumulativeSize = cumulativeSize
        self.numBlocks = numBlocks
    }
}

/// What garbage collection removed (or would remove on a dry run).
public struct GCResult: Hashable, Sendable {
    public var removed: [Multihash]
    public var freedBytes: UInt64

    public init(removed: [Multihash], freedBytes: UInt64) {
        self.removed = removed
        self.freedBytes = freedBytes
    }
}

/// The node's content store: a block store plus pins, with garbage collection that never takes a
/// block an add in progress has written.
///
/// Adds hold a lease on every block they write until they finish; collection runs under the same
/// lock that registers leases, so a block is either leased before collection looks or written
/// again after it.
public final class ContentStore: Sendable {
    public let blocks: any ContentBlockStore
    private let pinsPath: String?
    private let state: Mutex<State>

    struct State {
        var pins: PinSet
        var leases: [UUID: Set<Multihash>] = [:]
    }

    /// A store on disk under `directory`: blocks in `directory/blocks`, pins in `directory/pins.json`.
    public convenience init(directory: URL) throws(ContentError) {
        try DurableFile.createDirectory(directory.path)
        let blocks = try FlatFSBlockStore(root: directory.appendingPathComponent("blocks"))
        try self.init(blocks: blocks, pinsPath: directory.appendingPathComponent("pins.json").path)
    }

    /// A store over any block store; pins persist only when `pinsPath` is given.
    public init(blocks: any ContentBlockStore, pinsPath: String? = nil) throws(ContentError) {
        self.blocks = blocks
        self.pinsPath = pinsPath
        self.state = Mutex(State(pins: try pinsPath.map { (path) throws(ContentError) in try PinSet.load(from: path) } ?? PinSet()))
    }

    // MARK: Adding

    /// A sink that writes to the store while holding a GC lease on each block. A pipelined sink
    /// writes on its own threads: its blocks are stored only once `flush()` returns.
    final class LeasedSink: BlockSink {
        let store: ContentStore
        let id = UUID()
        private let writer: PipelinedBlockWriter?
        /// Blocks this sink wrote that the store did not hold before: what a failed add removes.
        private let created = Mutex<Set<Multihash>>([])

        init(store: ContentStore, pipelined: Bool = false) {
            self.store = store
            self.writer = pipelined ? PipelinedBlockWriter(store: store.blocks) : nil
        }

        func put(_ block: Data, as cid: CID) throws(ContentError) {
            store.state.withLock { _ = $0.leases[id, default: []].insert(cid.multihash) }
            if !store.blocks.has(cid) { created.withLock { _ = $0.insert(cid.multihash) } }
            if let writer {
                try writer.put(block, as: cid)
            } else {
                try store.blocks.put(block, as: cid)
            }
        }

        /// Waits for the blocks still being written; throws the first write that failed. Called once, last.
        func flush() throws(ContentError) {
            try writer?.finish()
        }

        var createdBlocks: Set<Multihash> { created.withLock { $0 } }
    }

    /// Runs an import whose blocks are protected from collection until it returns; pins the root
    /// recursively first when `pin` is set. Blocks are written on a few threads while `body`
    /// runs, and are all stored before this returns (or throws).
    ///
    /// An add that fails (bad input, a full disk, a cancelled stream) leaves nothing behind: the
    /// blocks it created that nothing else holds are deleted before the error is thrown.
    public func add(pin: Bool = true, _ body: (any BlockSink) throws -> ImportResult) throws -> ImportResult {
        let sink = LeasedSink(store: self, pipelined: true)
        defer { releaseLease(sink) }
        do {
            let result = try body(sink)
            try sink.flush()
            if pin { try self.pin(result.cid, recursive: true) }
            return result
        } catch {
            try? sink.flush()
            discardCreatedBlocks(of: sink)
            throw error
        }
    }

    /// The async form of `add`, for streaming imports (service calls).
    public func addStreaming(pin: Bool = true, _ body: (any BlockSink) async throws -> ImportResult) async throws -> ImportResult {
        let sink = LeasedSink(store: self, pipelined: true)
        defer { releaseLease(sink) }
        do {
            let result = try await body(sink)
            try sink.flush()
            if pin { try self.pin(result.cid, recursive: true) }
            return result
        } catch {
            try? sink.flush()
            discardCreatedBlocks(of: sink)
            throw error
        }
    }

    /// Deletes the blocks a failed add created, except those a pin reaches or another add in
    /// progress holds (a concurrent add may have found one of them already stored).
    func discardCreatedBlocks(of sink: LeasedSink) {
        let created = sink.createdBlocks
        guard !created.isEmpty else { return }
        state.withLock { state in
            state.leases.removeValue(forKey: sink.id)
            guard let keep = try? blocksToKeep(state) else { return }
            for hash in created where !keep.contains(hash) { try? blocks.delete(hash) }
        }
    }

    /// Runs `body` with a sink whose blocks garbage collection keeps until `body` returns; pin
    /// what must outlive it before returning.
    public func withLease<T>(_ body: (any BlockSink) async throws -> T) async throws -> T {
        let sink = LeasedSink(store: self)
        defer { releaseLease(sink) }
        return try await body(sink)
    }

    func releaseLease(_ sink: LeasedSink) {
        _ = state.withLock { $0.leases.removeValue(forKey: sink.id) }
    }

    /// Imports a file or a directory tree from disk.
    public func add(url: URL, options: ImportOptions, pin: Bool = true, progress: ((UInt64) -> Void)? = nil) throws -> ImportResult {
        try add(pin: pin) { sink in
            try PathImporter(options: options, sink: sink, progress: progress).importPath(url)
        }
    }

    // MARK: Reading

    public var reader: FileReader { FileReader(store: blocks) }

    /// Decodes the node at `cid`.
    public func node(_ cid: CID) throws(ContentError) -> DagNode {
        try DagNode(block: blocks.get(cid), cid: cid)
    }

    /// Walks the DAG under `root` depth-first (pre-order), visiting each distinct block once.
    public func walk(_ root: CID, visit: (CID, Data) throws -> Void) throws {
        var seen: Set<Multihash> = []
        var stack: [CID] = [root]
        while let cid = stack.popLast() {
            guard seen.insert(cid.multihash).inserted else { continue }
            let block = try blocks.get(cid)
            try visit(cid, block)
            stack.append(contentsOf: try DagNode(block: block, cid: cid).links.reversed())
        }
    }

    public func stat(_ cid: CID) throws -> DagStat {
        let root = try node(cid)
        var count: UInt64 = 0
        var bytes: UInt64 = 0
        try walk(cid) { _, block in
            count += 1
            bytes += UInt64(block.count)
        }
        let kind: DagStat.Kind
        switch root {
        case .raw: kind = .raw
        case .dagPB(_, let unixFS):
            switch unixFS?.kind {
            case .file?, .raw?: kind = .file
            case .directory?, .hamtShard?: kind = .directory
            case .symlink?: kind = .symlink
            default: kind = .dagPB
            }
        }
        let size = kind == .file || kind == .raw ? root.fileSize : 0
        return DagStat(cid: cid, kind: kind, size: size, cumulativeSize: bytes, numBlocks: count)
    }

    // MARK: Pins

    /// Pins `cid`; a recursive pin first checks that the whole DAG is present.
    public func pin(_ cid: CID, recursive: Bool) throws {
        if recursive {
            try walk(cid) { _, _ in }
        } else {
            _ = try blocks.get(cid)
        }
        try updatePins { pins in
            if recursive {
                pins.recursive.insert(cid.description)
            } else {
                pins.direct.insert(cid.description)
            }
        }
    }

    public func unpin(_ cid: CID, recursive: Bool) throws(ContentError) {
        try updatePins { (pins) throws(ContentError) in
            let removed =
                recursive ? pins.recursive.remove(cid.description) : pins.direct.remove(cid.description)
            guard removed != nil else { throw .notPinned(cid: cid.description) }
        }
    }

    public func pins() -> [Pin] {
        let set = state.withLock { $0.pins }
        let recursive = set.recursive.compactMap { try? CID($0) }.map { Pin(cid: $0, kind: .recursive) }
        let direct = set.direct.compactMap { try? CID($0) }.map { Pin(cid: $0, kind: .direct) }
        return (recursive + direct).sorted { $0.cid.description < $1.cid.description }
    }

    private func updatePins(_ change: (inout PinSet) throws(ContentError) -> Void) throws(ContentError) {
        try state.withLock { (state) throws(ContentError) in
            var pins = state.pins
            try change(&pins)
            if let pinsPath { try pins.save(to: pinsPath) }
            state.pins = pins
        }
    }

    // MARK: Garbage collection

    /// Deletes every block that no pin reaches and no add in progress holds.
    public func collectGarbage(dryRun: Bool = false) throws -> GCResult {
        try state.withLock { state in
            let keep = try blocksToKeep(state)
            var removed: [Multihash] = []
            var freed: UInt64 = 0
            for hash in try blocks.allMultihashes() where !keep.contains(hash) {
                freed += blocks.size(of: .v1(.raw, hash)) ?? 0
                if !dryRun { try blocks.delete(hash) }
                removed.append(hash)
            }
            return GCResult(removed: removed, freedBytes: freed)
        }
    }

    /// Every block a pin reaches or an add in progress holds.
    private func blocksToKeep(_ state: State) throws -> Set<Multihash> {
        var keep = state.leases.values.reduce(into: Set<Multihash>()) { $0.formUnion($1) }
        for text in state.pins.direct {
            keep.insert(try CID(text).multihash)
        }
        for text in state.pins.recursive {
            try walk(try CID(text)) { cid, _ in _ = keep.insert(cid.multihash) }
        }
        return keep
    }
}
