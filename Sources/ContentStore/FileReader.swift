public import Foundation

/// Reads a file's bytes out of a DAG, or any byte range of them, visiting only the blocks that
/// overlap the range (child sizes come from `blocksizes`), one block in memory at a time.
public struct FileReader: Sendable {
    let store: any ContentBlockStore

    public init(store: any ContentBlockStore) {
        self.store = store
    }

    /// The file size named by the root, without walking the DAG.
    public func size(of root: CID) throws(ContentError) -> UInt64 {
        let node = try DagNode(block: store.get(root), cid: root)
        try Self.requireFile(node, root)
        return node.fileSize
    }

    /// Sends the bytes of `[offset, offset+length)` (to the end when `length` is nil) to `emit`, in order.
    public func read(
        _ root: CID,
        offset: UInt64 = 0,
        length: UInt64? = nil,
        emit: (Data) async throws -> Void
    ) async throws {
        let node = try DagNode(block: store.get(root), cid: root)
        try Self.requireFile(node, root)
        let size = node.fileSize
        guard offset <= size else { throw ContentError.rangeOutOfBounds(offset: offset, length: length, size: size) }
        let end = min(size, offset.addingReportingOverflow(length ?? size).overflow ? size : offset + (length ?? size))
        guard end > offset else { return }
        try await read(node, cid: root, nodeStart: 0, from: offset, to: end, emit: emit)
    }

    /// Reads `[from, to)` (absolute file offsets) of the subtree at `node`, which starts at `nodeStart`.
    private func read(
        _ node: DagNode,
        cid: CID,
        nodeStart: UInt64,
        from: UInt64,
        to: UInt64,
        emit: (Data) async throws -> Void
    ) async throws {
        switch node {
        case .raw(let data):
            try await emitSlice(data, start: nodeStart, from: from, to: to, emit: emit)
        case .dagPB(let pbNode, let unixFS):
            guard let unixFS, unixFS.kind == .file || unixFS.kind == .raw else {
                throw ContentError.invalidNode(cid: cid.description, reason: "not a UnixFS file")
            }
            var position = nodeStart
            if let inline = unixFS.data, !inline.isEmpty {
                try await emitSlice(inline, start: position, from: from, to: to, emit: emit)
                position += UInt64(inline.count)
            }
            guard !pbNode.links.isEmpty else { return }
            guard unixFS.blocksizes.count == pbNode.links.count else {
                throw ContentError.invalidNode(
                    cid: cid.description,
                    reason: "\(pbNode.links.count) links but \(unixFS.blocksizes.count) blocksizes"
                )
            }
            for (link, childSize) in zip(pbNode.links, unixFS.blocksizes) {
                let (childEnd, overflow) = position.addingReportingOverflow(childSize)
                if overflow { throw ContentError.invalidNode(cid: cid.description, reason: "blocksizes overflow") }
                defer { position = childEnd }
                if childEnd <= from { continue }
                if position >= to { break }
                let child = try DagNode(block: store.get(link.cid), cid: link.cid)
                guard child.fileSize == childSize else {
                    throw ContentError.invalidNode(
                        cid: cid.description,
                        reason: "blocksize \(childSize) disagrees with child \(link.cid) of \(child.fileSize) bytes"
                    )
                }
                try await read(child, cid: link.cid, nodeStart: position, from: from, to: to, emit: emit)
            }
        }
    }

    private func emitSlice(_ data: Data, start: UInt64, from: UInt64, to: UInt64, emit: (Data) async throws -> Void) async throws {
        let lower = max(from, start) - start
        let upper = min(to, start + UInt64(data.count)) - start
        guard upper > lower else { return }
        let base = data.startIndex
        try await emit(data[(base + Int(lower))..<(base + Int(upper))])
    }

    static func requireFile(_ node: DagNode, _ cid: CID) throws(ContentError) {
        if case .dagPB(_, let unixFS) = node, unixFS?.kind != .file && unixFS?.kind != .raw {
            throw .invalidNode(cid: cid.description, reason: "not a file (UnixFS \(unixFS.map { "\($0.kind)" } ?? "header missing"))")
        }
    }
}
