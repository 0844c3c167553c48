public import Foundation
internal import Schema
internal import Wire

/// A link of a dag-pb node (https://ipld.io/specs/codecs/dag-pb/spec/).
public struct DagPBLink: Hashable, Sendable {
    public var cid: CID
    /// Entry name in a directory; present but empty for file chunks, as Kubo writes it.
    public var name: String?
    /// Cumulative size of the target: its block plus everything it links to.
    public var tsize: UInt64?

    public init(cid: CID, name: String? = "", tsize: UInt64?) {
        self.cid = cid
        self.name = name
        self.tsize = tsize
    }
}

/// A dag-pb node, encoded canonically: links sorted by name bytes (stable), Links before Data.
public struct DagPBNode: Hashable, Sendable {
    public var links: [DagPBLink]
    public var data: Data?

    public init(links: [DagPBLink] = [], data: Data?) {
        self.links = links
        self.data = data
    }

    /// The canonical block bytes.
    public func encoded() -> Data {
        var node = Medledger_V1_PBNode()
        let sorted = links.enumerated().sorted { left, right in
            let leftName = Array((left.element.name ?? "").utf8)
            let rightName = Array((right.element.name ?? "").utf8)
            return leftName == rightName ? left.offset < right.offset : leftName.lexicographicallyPrecedes(rightName)
        }
        node.links = sorted.map { entry in
            var link = Medledger_V1_PBLink()
            link.hash = Data(entry.element.cid.bytes)
            link.name = entry.element.name
            link.tsize = entry.element.tsize
            return link
        }
        node.data = data
        return node.serializedData()
    }

    /// Decodes a dag-pb block; `cid` names the block in errors.
    public init(decoding block: Data, cid: CID) throws(ContentError) {
        let node: Medledger_V1_PBNode
        do {
            node = try Medledger_V1_PBNode(serializedData: block)
        } catch {
            throw .invalidNode(cid: cid.description, reason: "not dag-pb: \(error)")
        }
        guard node.unknownFields.isEmpty else {
            throw .invalidNode(cid: cid.description, reason: "dag-pb node has fields outside the spec")
        }
        var links: [DagPBLink] = []
        links.reserveCapacity(node.links.count)
        for (index, link) in node.links.enumerated() {
            guard let hash = link.hash else {
                throw .invalidNode(cid: cid.description, reason: "link \(index) has no Hash")
            }
            let target: CID
            do {
                target = try CID(bytes: Array(hash))
            } catch {
                throw .invalidNode(cid: cid.description, reason: "link \(index): \(error)")
            }
            links.append(DagPBLink(cid: target, name: link.name, tsize: link.tsize))
        }
        self.init(links: links, data: node.data)
    }
}
