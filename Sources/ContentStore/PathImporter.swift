public import Foundation

/// Imports a file or a directory tree from disk as `ipfs add -r` does: directories become UnixFS
/// Directory nodes whose links are the entries sorted by name, each link's Tsize the entry's
/// cumulative size, or HAMT shards when larger than `ImportOptions.shardingThreshold`; hidden
/// entries (names starting with ".") below the top are skipped, as Kubo skips them without
/// `--hidden`; symbolic links become UnixFS Symlink nodes.
public struct PathImporter {
    public let options: ImportOptions
    let sink: any BlockSink
    let progress: ((UInt64) -> Void)?

    public init(options: ImportOptions, sink: any BlockSink, progress: ((UInt64) -> Void)? = nil) {
        self.options = options
        self.sink = sink
        self.progress = progress
    }

    public func importPath(_ url: URL) throws(ContentError) -> ImportResult {
        let attributes: [FileAttributeKey: Any]
        do {
            attributes = try FileManager.default.attributesOfItem(atPath: url.path)
        } catch {
            throw .io(path: url.path, reason: "no such file or directory")
        }
        switch attributes[.type] as? FileAttributeType {
        case .typeRegular?:
            return try FileImporter.importFile(at: url, options: options, sink: sink, progress: progress)
        case .typeDirectory?:
            return try importDirectory(url)
        case .typeSymbolicLink?:
            return try importSymlink(url)
        default:
            throw .io(path: url.path, reason: "unsupported file type (not a file, directory or symbolic link)")
        }
    }

    private func importDirectory(_ url: URL) throws(ContentError) -> ImportResult {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: url.path)
        } catch {
            throw .io(path: url.path, reason: "cannot list: \(error.localizedDescription)")
        }
        var links: [DagPBLink] = []
        for name in names.sorted(by: { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }) where !name.hasPrefix(".") {
            let child = try importPath(url.appendingPathComponent(name))
            links.append(DagPBLink(cid: child.cid, name: name, tsize: child.dagSize))
        }
        let block = DagPBNode(links: links, data: UnixFSNode(kind: .directory).encoded()).encoded()
        // Above the threshold, not at it: boxo compares with `>`.
        if options.directorySizeEstimate.size(of: links, flatBlock: block) > ImportOptions.shardingThreshold {
            return try HAMTDirectoryWriter(options: options, sink: sink).write(links, directory: url.path)
        }
        return try sink.putDirectoryNode(block, links: links, options: options)
    }

    private func importSymlink(_ url: URL) throws(ContentError) -> ImportResult {
        let target: String
        do {
            target = try FileManager.default.destinationOfSymbolicLink(atPath: url.path)
        } catch {
            throw .io(path: url.path, reason: "cannot read link: \(error.localizedDescription)")
        }
        let header = UnixFSNode(kind: .symlink, data: Data(target.utf8))
        let block = DagPBNode(data: header.encoded()).encoded()
        let cid = options.dagPBCID(block)
        try sink.put(block, as: cid)
        return ImportResult(cid: cid, size: 0, dagSize: UInt64(block.count))
    }
}
