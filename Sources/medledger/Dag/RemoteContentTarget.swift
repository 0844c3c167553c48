internal import ContentStore
internal import Foundation
internal import GRPCCore
internal import GRPCNIOTransportHTTP2
internal import Schema

/// A running node's `medledger.v1.Content` service over mTLS; files and CARs are streamed in
/// pieces, never read whole. The node decides who may do what (e.g. GC is for admins).
struct RemoteContentTarget: ContentTarget {
    /// Bytes per Add/ImportCAR message: well under the server's message limit.
    static let pieceSize = 256 * 1024

    let client: Medledger_V1_Content.Client<HTTP2ClientTransport.Posix>

    init(client: GRPCClient<HTTP2ClientTransport.Posix>) {
        self.client = Medledger_V1_Content.Client(wrapping: client)
    }

    func add(_ url: URL, options: ImportOptions, pin: Bool, progress: @escaping @Sendable (UInt64) -> Void) async throws -> CID {
        let type = (try? FileManager.default.attributesOfItem(atPath: url.path))?[.type] as? FileAttributeType
        guard type == .typeRegular else {
            throw DagCommandError(
                type == nil
                    ? "\(url.path): no such file"
                    : "\(url.path) is not a regular file: with --server, dag add sends one file (the Add call streams a single "
                        + "file's bytes). For a directory, add it to a local store (--data), dag export it, then dag import the CAR with --server.")
        }
        var wire = Medledger_V1_AddOptions()
        wire.cidVersion = UInt32(options.cidVersion)
        wire.rawLeaves = options.rawLeaves
        wire.chunker = options.chunker.description
        wire.maxFileLinks = UInt32(options.maximumLinks)
        wire.pin = pin
        let pieces = try filePieces(url, pieceSize: Self.pieceSize)
        let sentOptions = wire
        let response = try await client.add { writer in
            var first = Medledger_V1_AddRequest()
            first.part = .options(sentOptions)
            try await writer.write(first)
            var sent: UInt64 = 0
            for try await piece in pieces {
                var message = Medledger_V1_AddRequest()
                message.part = .chunk(piece)
                try await writer.write(message)
                sent += UInt64(piece.count)
                progress(sent)
            }
        }
        return try CID(response.cid)
    }

    func cat(_ cid: CID, offset: UInt64, length: UInt64?, emit: @escaping @Sendable (Data) async throws -> Void) async throws {
        var request = Medledger_V1_CatRequest()
        request.cid = cid.description
        request.offset = offset
        request.length = length
        try await client.cat(request) { response in
            for try await message in response.messages { try await emit(message.chunk) }
        }
    }

    func stat(_ cid: CID) async throws -> DagStat {
        var request = Medledger_V1_StatRequest()
        request.cid = cid.description
        let response = try await client.stat(request)
        let kind: DagStat.Kind =
            switch response.type {
            case .raw: .raw
            case .file: .file
            case .directory: .directory
            case .symlink: .symlink
            default: .dagPB
            }
        return DagStat(
            cid: try CID(response.cid), kind: kind, size: response.size, cumulativeSize: response.cumulativeSize,
            numBlocks: response.numBlocks)
    }

    func pin(_ cid: CID, recursive: Bool) async throws {
        var request = Medledger_V1_PinRequest()
        request.cid = cid.description
        request.recursive = recursive
        _ = try await client.pin(request)
    }

    func unpin(_ cid: CID, recursive: Bool) async throws {
        var request = Medledger_V1_UnpinRequest()
        request.cid = cid.description
        request.recursive = recursive
        _ = try await client.unpin(request)
    }

    func pins() async throws -> [Pin] {
        try await client.listPins(Medledger_V1_ListPinsRequest()).pins.map { info in
            Pin(cid: try CID(info.cid), kind: info.recursive ? .recursive : .direct)
        }
    }

    func collectGarbage(dryRun: Bool) async throws -> GCResult {
        var request = Medledger_V1_GCRequest()
        request.dryRun = dryRun
        let response = try await client.gc(request)
        return GCResult(removed: try response.removed.map { try CID($0).multihash }, freedBytes: response.freedBytes)
    }

    func exportCAR(_ root: CID, emit: @escaping @Sendable (Data) async throws -> Void) async throws {
        var request = Medledger_V1_ExportCARRequest()
        request.roots = [root.description]
        try await client.exportCAR(request) { response in
            for try await chunk in response.messages { try await emit(chunk.data) }
        }
    }

    func importCAR(_ url: URL, pinRoots: Bool) async throws -> (roots: [CID], blocks: Int) {
        let pieces = try filePieces(url, pieceSize: Self.pieceSize)
        let response = try await client.importCAR { writer in
            var first = true
            for try await piece in pieces {
                var message = Medledger_V1_ImportCARRequest()
                message.chunk = piece
                message.pinRoots = pinRoots && first
                first = false
                try await writer.write(message)
            }
            if first {
                var message = Medledger_V1_ImportCARRequest()
                message.pinRoots = pinRoots
                try await writer.write(message)
            }
        }
        return (try response.roots.map { try CID($0) }, Int(response.blocks))
    }
}
