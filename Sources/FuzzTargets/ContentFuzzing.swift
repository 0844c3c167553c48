internal import ContentStore
internal import Foundation

/// Fuzzing of the IPFS-compatible formats other nodes and clients send.
enum ContentFuzzing {
    /// The CID decoding errors name; any dag-pb CID will do.
    static let someCID = CID.of(Data("fuzz".utf8), version: 1, codec: .dagPB)

    static func cid(_ data: Data) {
        let text = String(decoding: data, as: UTF8.self)
        if let parsed = try? CID(text) {
            guard let again = try? CID(parsed.description) else { preconditionFailure("CID \(parsed) does not parse back") }
            precondition(again == parsed, "CID \(text) → \(parsed) → \(again)")
        }
        if let fromBytes = try? CID(bytes: Array(data)) {
            precondition((try? CID(bytes: fromBytes.bytes)) == fromBytes, "binary CID does not round-trip")
        }
    }

    static func dagPB(_ data: Data) {
        guard let node = try? DagPBNode(decoding: data, cid: someCID) else { return }
        _ = try? DagPBNode(decoding: node.encoded(), cid: someCID)
    }

    static func unixFS(_ data: Data) {
        _ = try? UnixFSNode(decoding: data, cid: someCID)
    }

    static func car(_ data: Data) {
        var reader = CARReader()
        let middle = data.count / 2
        guard (try? reader.feed(data.prefix(middle))) != nil, (try? reader.feed(data.dropFirst(middle))) != nil else { return }
        _ = try? reader.finish()
    }
}
