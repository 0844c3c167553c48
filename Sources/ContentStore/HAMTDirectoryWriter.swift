internal import Foundation
internal import Wire

/// Writes a directory as a UnixFS HAMT (HAMTShard nodes, https://specs.ipfs.tech/unixfs/) node
/// for node as Kubo does (boxo `ipld/unixfs/hamt`), so that its root CID matches `ipfs add -r`.
///
/// An entry's place comes from the 64-bit murmur3 hash of its name (the first half of x64_128,
/// seed 0, read most significant byte first): level d of the tree takes byte d as the slot among
/// 256. A slot that one entry falls in links that entry, named by the slot's two upper-case hex
/// digits followed by the entry name; a slot that several share links a child shard, named by the
/// digits alone. The tree depends only on the set of names, never on the order they were added.
struct HAMTDirectoryWriter {
    static let fanout = 256
    /// Multihash code of murmur3-x64-64, the function named in every shard's header.
    static let murmur3HashType: UInt64 = 0x22
    /// The hash has 8 bytes, one per level.
    static let maximumDepth = 8

    let options: ImportOptions
    let sink: any BlockSink

    /// An entry of the directory with the hash of its name.
    struct Entry {
        var link: DagPBLink
        var name: String
        var hash: UInt64

        func slot(atDepth depth: Int) -> Int {
            Int(truncatingIfNeeded: hash >> (56 - 8 * UInt64(depth))) & 0xff
        }
    }

    /// Writes the shards holding `links` (named directory entries) and returns the root;
    /// `directory` names the directory in errors.
    func write(_ links: [DagPBLink], directory: String) throws(ContentError) -> ImportResult {
        let entries = links.map { link in
            let name = link.name ?? ""
            return Entry(link: link, name: name, hash: Self.hash(name))
        }
        return try writeShard(entries, depth: 0, directory: directory)
    }

    private func writeShard(_ entries: [Entry], depth: Int, directory: String) throws(ContentError) -> ImportResult {
        let slots = Dictionary(grouping: entries) { $0.slot(atDepth: depth) }
        var links: [DagPBLink] = []
        for (slot, group) in slots.sorted(by: { $0.key < $1.key }) {
            let prefix = Self.slotName(slot)
            if group.count == 1 {
                links.append(DagPBLink(cid: group[0].link.cid, name: prefix + group[0].name, tsize: group[0].link.tsize))
                continue
            }
            guard depth + 1 < Self.maximumDepth else {
                let names = group.map { "\(QuotedInput.quote($0.name))" }.joined(separator: ", ")
                throw .io(path: directory, reason: "entries \(names) share all 64 bits of their murmur3 hash; a HAMT cannot hold them")
            }
            let child = try writeShard(group, depth: depth + 1, directory: directory)
            links.append(DagPBLink(cid: child.cid, name: prefix, tsize: child.dagSize))
        }
        let header = UnixFSNode(
            kind: .hamtShard,
            data: Self.bitfield(occupied: slots.keys),
            hashType: Self.murmur3HashType,
            fanout: UInt64(Self.fanout)
        )
        let block = DagPBNode(links: links, data: header.encoded()).encoded()
        return try sink.putDirectoryNode(block, links: links, options: options)
    }

    /// The hash that places `name`: murmur3 x64_128's first half.
    static func hash(_ name: String) -> UInt64 {
        Murmur3.x64_128(Array(name.utf8)).h1
    }

    /// Two upper-case hex digits (boxo's `%02X` for a fanout of 256).
    static func slotName(_ slot: Int) -> String {
        let digits = String(slot, radix: 16, uppercase: true)
        return digits.count == 1 ? "0" + digits : digits
    }

    /// The occupied slots as go-bitfield writes them: a big-endian number whose bit i is slot i,
    /// without leading zero bytes; nil when no slot is occupied (the field is then left out).
    static func bitfield(occupied slots: some Sequence<Int>) -> Data? {
        var bytes = [UInt8](repeating: 0, count: fanout / 8)
        for slot in slots {
            bytes[bytes.count - 1 - slot / 8] |= 1 << (slot % 8)
        }
        let trimmed = bytes.drop { $0 == 0 }
        return trimmed.isEmpty ? nil : Data(trimmed)
    }
}
