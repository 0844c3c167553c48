public import ContentStore
internal import Foundation
internal import GRPCCore
internal import Schema

/// The `medledger.v1.Content` gRPC service over a `ContentStore`.
///
/// Who may call which method is decided before a call reaches this service, by
/// `AuthenticationInterceptor` with `AuthorizationTable.standard` (reads: any member; writes:
/// admins, clinicians and peers; GC: admins).
struct ContentService: Medledger_V1_Content.SimpleServiceProtocol {
    static let serviceName = "medledger.v1.Content"
    /// Bytes per streamed response message (Cat, ExportCAR).
    static let streamChunkSize = 256 * 1024

    let store: ContentStore
    /// Where provisional pins (the first step of a record upload) are leased; nil refuses them.
    let leases: UploadLeases?

    init(store: ContentStore, leases: UploadLeases? = nil) {
        self.store = store
        self.leases = leases
    }

    func add(
        request: RPCAsyncSequence<Medledger_V1_AddRequest, any Error>,
        context: ServerContext
    ) async throws -> Medledger_V1_AddResponse {
        var iterator = request.makeAsyncIterator()
        var first = try await iterator.next()
        var wire = Medledger_V1_AddOptions()
        if case .options(let sent)? = first?.part {
            wire = sent
            first = try await iterator.next()
        }
        let options = try ContentErrorStatus.map {
            try ImportOptions(
                cidVersion: Int(wire.cidVersion), rawLeaves: wire.rawLeaves, chunker: Chunker(spec: wire.chunker),
                maximumLinks: wire.maxFileLinks == 0 ? ImportOptions.maximumLinksPerNode : Int(wire.maxFileLinks))
        }
        guard wire.layout == .balanced else {
            throw RPCError(code: .unimplemented, message: "only the balanced layout is implemented")
        }
        if wire.provisional {
            guard wire.pin, !wire.onlyHash else {
                throw RPCError(code: .invalidArgument, message: "options.provisional leases a pin: it needs options.pin and not options.only_hash")
            }
            guard leases != nil else { throw RPCError(code: .unimplemented, message: "this node holds no upload leases") }
        }
        // A provisional add of content pinned for good already must not lease (and later unpin) it.
        let pinnedBefore = wire.provisional ? Set(store.pins().map(\.cid)) : []
        let pending = first
        let body: (any BlockSink) async throws -> ImportResult = { sink in
            var importer = FileImporter(options: options, sink: sink)
            var next = pending
            while let message = next {
                guard case .chunk(let bytes)? = message.part else {
                    throw RPCError(code: .invalidArgument, message: "options may only come in the first message")
                }
                try importer.write(bytes)
                next = try await iterator.next()
            }
            return try importer.finish()
        }
        let result = try await ContentErrorStatus.mapAsync {
            if wire.onlyHash { return try await body(DiscardingSink()) }
            return try await store.addStreaming(pin: wire.pin, body)
        }
        if wire.provisional { try leases?.hold(result.cid, contentPinnedBefore: pinnedBefore.contains(result.cid)) }
        if !wire.onlyHash { NodeMetrics.current?.contentAdded(bytes: Int(result.size)) }
        var response = Medledger_V1_AddResponse()
        response.cid = result.cid.description
        response.size = result.size
        response.dagSize = result.dagSize
        return response
    }

    func cat(
        request: Medledger_V1_CatRequest,
        response: RPCWriter<Medledger_V1_CatResponse>,
        context: ServerContext
    ) async throws {
        let cid = try ContentErrorStatus.map { try CID(request.cid) }
        try await ContentErrorStatus.mapAsync {
            try await store.reader.read(cid, offset: request.offset, length: request.length) { bytes in
                var start = bytes.startIndex
                while start < bytes.endIndex {
                    let end = min(start + Self.streamChunkSize, bytes.endIndex)
                    var message = Medledger_V1_CatResponse()
                    message.chunk = Data(bytes[start..<end])
                    try await response.write(message)
                    NodeMetrics.current?.contentServed(bytes: end - start)
                    start = end
                }
            }
        }
    }

    func stat(request: Medledger_V1_StatRequest, context: ServerContext) async throws -> Medledger_V1_StatResponse {
        let stat = try ContentErrorStatus.map { try store.stat(try CID(request.cid)) }
        var response = Medledger_V1_StatResponse()
        response.cid = stat.cid.description
        response.size = stat.size
        response.cumulativeSize = stat.cumulativeSize
        response.numBlocks = stat.numBlocks
        response.local = true
        switch stat.kind {
        case .raw: response.type = .raw
        case .file: response.type = .file
        case .directory: response.type = .directory
        case .symlink: response.type = .symlink
        case .dagPB: response.type = .dagPb
        }
        return response
    }

    func pin(request: Medledger_V1_PinRequest, context: ServerContext) async throws -> Medledger_V1_PinResponse {
        let cid = try ContentErrorStatus.map { try CID(request.cid) }
        try ContentErrorStatus.map { try store.pin(cid, recursive: request.recursive) }
        var response = Medledger_V1_PinResponse()
        response.pinned = [cid.description]
        return response
    }

    func unpin(request: Medledger_V1_UnpinRequest, context: ServerContext) async throws -> Medledger_V1_UnpinResponse {
        let cid = try ContentErrorStatus.map { try CID(request.cid) }
        try ContentErrorStatus.map { try store.unpin(cid, recursive: request.recursive) }
        var response = Medledger_V1_UnpinResponse()
        response.unpinned = [cid.description]
        return response
    }

    func listPins(request: Medledger_V1_ListPinsRequest, context: ServerContext) async throws -> Medledger_V1_ListPinsResponse {
        var response = Medledger_V1_ListPinsResponse()
        response.pins = store.pins().map { pin in
            var info = Medledger_V1_PinInfo()
            info.cid = pin.cid.description
            info.recursive = pin.kind == .recursive
            return info
        }
        return response
    }

    func gc(request: Medledger_V1_GCRequest, context: ServerContext) async throws -> Medledger_V1_GCResponse {
        let result = try ContentErrorStatus.map { try store.collectGarbage(dryRun: request.dryRun) }
        var response = Medledger_V1_GCResponse()
        response.removed = result.removed.map { CID.v1(.raw, $0).description }
        response.freedBytes = result.freedBytes
        return response
    }

    func exportCAR(
        request: Medledger_V1_ExportCARRequest,
        response: RPCWriter<Medledger_V1_CARChunk>,
        context: ServerContext
    ) async throws {
        let roots = try ContentErrorStatus.map { try request.roots.map { (text) throws(ContentError) in try CID(text) } }
        try await ContentErrorStatus.mapAsync {
            try await store.exportCAR(roots: roots) { bytes in
                var message = Medledger_V1_CARChunk()
                message.data = bytes
                try await response.write(message)
            }
        }
    }

    func importCAR(
        request: RPCAsyncSequence<Medledger_V1_ImportCARRequest, any Error>,
        context: ServerContext
    ) async throws -> Medledger_V1_ImportCARResponse {
        let pinRoots = PinRootsFlag()
        let pieces = request.map { message -> Data in
            pinRoots.observe(message.pinRoots)
            return message.chunk
        }
        let buffered = try await ContentErrorStatus.mapAsync { try await store.importCAR(pieces, pinRoots: false) }
        if pinRoots.value {
            try ContentErrorStatus.map { for root in buffered.roots { try store.pin(root, recursive: true) } }
        }
        var response = Medledger_V1_ImportCARResponse()
        response.roots = buffered.roots.map(\.description)
        response.blocks = UInt64(buffered.blocks)
        return response
    }

    func getBlock(request: Medledger_V1_GetBlockRequest, context: ServerContext) async throws -> Medledger_V1_GetBlockResponse {
        let cid = try ContentErrorStatus.map { try CID(request.cid) }
        var response = Medledger_V1_GetBlockResponse()
        response.data = try ContentErrorStatus.map { try store.blocks.get(cid) }
        return response
    }
}

extension HostedService {
    /// The Content service over `store`, ready to host in a `MedLedgerServer`.
    public static func content(store: ContentStore, leases: UploadLeases? = nil) -> HostedService {
        HostedService(name: ContentService.serviceName, service: ContentService(store: store, leases: leases))
    }
}

/// The first ImportCAR message's `pin_roots`, as later messages must not change it.
private final class PinRootsFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var first: Bool?
    func observe(_ flag: Bool) { lock.withLock { if first == nil { first = flag } } }
    var value: Bool { lock.withLock { first ?? false } }
}
