public import Foundation

/// Blocks as files, laid out like Kubo's flatfs with `/repo/flatfs/shard/v1/next-to-last/2`:
/// the key is the multihash in upper-case unpadded base32, the file is
/// `<root>/<two characters before the key's last>/<key>.data`.
///
/// Writes are temp file → fsync → rename, so a crash leaves either the whole block or none.
public final class FlatFSBlockStore: ContentBlockStore {
    public let root: URL

    public init(root: URL) throws(ContentError) {
        self.root = root
        try DurableFile.createDirectory(root.path)
    }

    /// The datastore key of a multihash (`CIQ…` for sha2-256).
    public static func key(for multihash: Multihash) -> String {
        Base32.encode(multihash.bytes).uppercased()
    }

    /// The block file's path, relative to the root.
    public static func relativePath(for multihash: Multihash) -> String {
        let key = key(for: multihash)
        let shard = key.dropLast().suffix(2)
        return "\(shard)/\(key).data"
    }

    func path(for multihash: Multihash) -> String {
        root.appendingPathComponent(Self.relativePath(for: multihash)).path
    }

    public func put(_ block: Data, as cid: CID) throws(ContentError) {
        let path = path(for: cid.multihash)
        if FileManager.default.fileExists(atPath: path) { return }
        try DurableFile.createDirectory((path as NSString).deletingLastPathComponent)
        try DurableFile.write(block, to: path)
    }

    public func get(_ cid: CID) throws(ContentError) -> Data {
        let path = path(for: cid.multihash)
        guard let block = FileManager.default.contents(atPath: path) else {
            throw .blockNotFound(cid: cid.description)
        }
        guard try cid.multihash.matches(block) else { throw .corruptBlock(cid: cid.description) }
        return block
    }

    public func has(_ cid: CID) -> Bool {
        FileManager.default.fileExists(atPath: path(for: cid.multihash))
    }

    public func size(of cid: CID) -> UInt64? {
        let attributes = try? FileManager.default.attributesOfItem(atPath: path(for: cid.multihash))
        return (attributes?[.size] as? NSNumber)?.uint64Value
    }

    public func delete(_ multihash: Multihash) throws(ContentError) {
        let path = path(for: multihash)
        do {
            try FileManager.default.removeItem(atPath: path)
        } catch {
            if FileManager.default.fileExists(atPath: path) {
                throw .io(path: path, reason: "cannot delete: \(error.localizedDescription)")
            }
        }
    }

    public func allMultihashes() throws(ContentError) -> [Multihash] {
        let shards: [String]
        do {
            shards = try FileManager.default.contentsOfDirectory(atPath: root.path)
        } catch {
            throw .io(path: root.path, reason: "cannot list: \(error.localizedDescription)")
        }
        var result: [Multihash] = []
        for shard in shards where shard.count == 2 {
            let directory = root.appendingPathComponent(shard).path
            let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
            for name in names where name.hasSuffix(".data") {
                let key = name.dropLast(5).lowercased()
                guard let bytes = Base32.decode(Substring(key)) else { continue }
                var index = 0
                if let hash = try? Multihash.read(bytes, at: &index), index == bytes.count {
                    result.append(hash)
                }
            }
        }
        return result
    }
}
