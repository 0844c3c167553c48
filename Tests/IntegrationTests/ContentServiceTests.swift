import ContentStore
import Foundation
import GRPCCore
import GRPCNIOTransportHTTP2
import Identity
import MedLedgerTesting
import Schema
import Server
import Testing

/// The Content service over the real TLS server on 127.0.0.1, called by the generated client.
@Suite("Content service over TLS")
struct ContentServiceTests {
    typealias ContentClient = Medledger_V1_Content.Client<HTTP2ClientTransport.Posix>

    func withContentServer<Result: Sendable>(_ body: (ContentClient) async throws -> Result) async throws -> Result {
        try await withRunningServer(services: { [.content(store: try ContentStore(directory: $0.contentDirectory))] }) { running in
            let transport = try HTTP2ClientTransport.Posix(
                target: .ipv4(address: running.address.host, port: running.address.port),
                transportSecurity: .tls { tls in
                    tls.trustRoots = .certificates([.file(path: running.caCertificatePath, format: .pem)])
                    // The org's bootstrap admin: content calls need a member certificate (mTLS).
                    tls.certificateChain = [.file(path: running.admin.certificatePath, format: .pem)]
                    tls.privateKey = .file(path: running.admin.keyPath, format: .pem)
                }
            )
            return try await withGRPCClient(transport: transport) { client in
                try await body(Medledger_V1_Content.Client(wrapping: client))
            }
        }
    }

    @Test func callsWithoutAMemberCertificateAreRefused() async throws {
        try await withRunningServer(services: { [.content(store: try ContentStore(directory: $0.contentDirectory))] }) { running in
            let transport = try HTTP2ClientTransport.Posix(
                target: .ipv4(address: running.address.host, port: running.address.port),
                transportSecurity: .tls { tls in
                    tls.trustRoots = .certificates([.file(path: running.caCertificatePath, format: .pem)])
                }
            )
            try await withGRPCClient(transport: transport) { grpc in
                let client = Medledger_V1_Content.Client(wrapping: grpc)
                var request = Medledger_V1_StatRequest()
                request.cid = "QmbFMke1KXqnYyBBWxB74N4c5SBnJMVAiMNRcGu6x1AwQH"
                let error = await #expect(throws: RPCError.self) { _ = try await client.stat(request, options: callOptions()) }
                #expect(error?.code == .unauthenticated)
            }
        }
    }

    func add(_ client: ContentClient, _ data: Data, cidVersion: UInt32 = 0, pin: Bool = true) async throws -> Medledger_V1_AddResponse {
        try await client.add(options: callOptions()) { writer in
            var options = Medledger_V1_AddOptions()
            options.cidVersion = cidVersion
            options.pin = pin
            var first = Medledger_V1_AddRequest()
            first.part = .options(options)
            try await writer.write(first)
            var start = data.startIndex
            while start < data.endIndex {
                let end = min(start + 100_000, data.endIndex)
                var message = Medledger_V1_AddRequest()
                message.part = .chunk(data[start..<end])
                try await writer.write(message)
                start = end
            }
        }
    }

    func cat(_ client: ContentClient, _ cid: String, offset: UInt64 = 0, length: UInt64? = nil) async throws -> Data {
        var request = Medledger_V1_CatRequest()
        request.cid = cid
        request.offset = offset
        request.length = length
        return try await client.cat(request: ClientRequest(message: request), options: callOptions()) { response in
            var out = Data()
            for try await message in response.messages { out.append(message.chunk) }
            return out
        }
    }

    @Test func addCatStatPinGCAndCARRoundTrip() async throws {
        try await withContentServer { client in
            let hello = try await add(client, Data("hello world\n".utf8))
            #expect(hello.cid == "QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o")

            var bytes = Data(count: 700_000)
            for index in bytes.indices { bytes[index] = UInt8(truncatingIfNeeded: (index &* 2_654_435_761) >> 13) }  // no repeated chunk
            let big = try await add(client, bytes, cidVersion: 1, pin: false)
            #expect(big.cid.hasPrefix("bafybei"))
            #expect(big.size == 700_000)
            #expect(try await cat(client, big.cid) == bytes)
            #expect(try await cat(client, big.cid, offset: 262_000, length: 1000) == bytes[262_000..<263_000])

            var statRequest = Medledger_V1_StatRequest()
            statRequest.cid = big.cid
            let stat = try await client.stat(statRequest, options: callOptions())
            #expect(stat.type == .file)
            #expect(stat.numBlocks == 4)

            var exportRequest = Medledger_V1_ExportCARRequest()
            exportRequest.roots = [big.cid]
            let car = try await client.exportCAR(request: ClientRequest(message: exportRequest), options: callOptions()) { response in
                var out = Data()
                for try await chunk in response.messages { out.append(chunk.data) }
                return out
            }

            var gcRequest = Medledger_V1_GCRequest()
            gcRequest.dryRun = false
            let collected = try await client.gc(gcRequest, options: callOptions())
            #expect(collected.removed.count == 4)
            await #expect(throws: RPCError.self) { _ = try await cat(client, big.cid) }

            let imported = try await client.importCAR(options: callOptions()) { writer in
                var message = Medledger_V1_ImportCARRequest()
                message.pinRoots = true
                message.chunk = car
                try await writer.write(message)
            }
            #expect(imported.roots == [big.cid])
            #expect(imported.blocks == 4)
            #expect(try await cat(client, big.cid) == bytes)

            var blockRequest = Medledger_V1_GetBlockRequest()
            blockRequest.cid = hello.cid
            let block = try await client.getBlock(blockRequest, options: callOptions())
            #expect(CID.of(block.data, version: 0, codec: .dagPB).description == hello.cid)
        }
    }

    @Test func badInputGivesClearStatusCodes() async throws {
        try await withContentServer { client in
            do {
                _ = try await cat(client, "not-a-cid")
                Issue.record("bad CID accepted")
            } catch let error as RPCError {
                #expect(error.code == .invalidArgument)
                #expect(error.message.contains("not-a-cid"))
            }
            do {
                _ = try await cat(client, "QmdfTbBqBPQ7VNxZEYEj14VmRuZBkqFbiwReogJgS1zR1n")
                Issue.record("missing block served")
            } catch let error as RPCError {
                #expect(error.code == .notFound)
            }
            do {
                _ = try await client.importCAR(options: callOptions()) { writer in
                    var message = Medledger_V1_ImportCARRequest()
                    message.chunk = Data([0x0a, 0xa2, 0x65])
                    try await writer.write(message)
                }
                Issue.record("truncated CAR accepted")
            } catch let error as RPCError {
                #expect(error.code == .invalidArgument)
                #expect(error.message.contains("CAR"))
            }
        }
    }
}

@Suite("Node-to-node fetch over GetBlock")
struct BlockFetcherTests {
    @Test func aSecondNodePullsAndVerifiesADag() async throws {
        let source = try TemporaryDirectory()
        defer { source.remove() }
        let sourceStore = try ContentStore(directory: source.url)
        var bytes = Data(count: 50_000)
        for index in bytes.indices { bytes[index] = UInt8(truncatingIfNeeded: (index &* 2_654_435_761) >> 9) }
        let file = try sourceStore.add(pin: true) { sink in
            var importer = FileImporter(options: try ImportOptions(cidVersion: 1, chunker: Chunker(size: 1000)), sink: sink)
            try importer.write(bytes)
            return try importer.finish()
        }

        try await withRunningServer(services: { _ in [.content(store: sourceStore)] }) { peer in
            let target = try TemporaryDirectory()
            defer { target.remove() }
            let targetStore = try ContentStore(directory: target.url)
            let transport = try HTTP2ClientTransport.Posix(
                target: .ipv4(address: peer.address.host, port: peer.address.port),
                transportSecurity: .tls { tls in
                    tls.trustRoots = .certificates([.file(path: peer.caCertificatePath, format: .pem)])
                    tls.certificateChain = [.file(path: peer.admin.certificatePath, format: .pem)]
                    tls.privateKey = .file(path: peer.admin.keyPath, format: .pem)
                }
            )
            try await withGRPCClient(transport: transport) { client in
                let fetcher = BlockFetcher(store: targetStore)
                #expect(try await fetcher.fetch(file.cid, from: client, options: callOptions()) == 51)
                #expect(try await fetcher.fetch(file.cid, from: client, options: callOptions()) == 0)
                var copy = Data()
                try await targetStore.reader.read(file.cid) { copy.append($0) }
                #expect(copy == bytes)
                #expect(targetStore.pins().map(\.cid) == [file.cid])
                await #expect(throws: RPCError.self) {
                    _ = try await fetcher.fetch(CID.of(Data("absent".utf8), version: 1, codec: .raw), from: client, options: callOptions())
                }
            }
        }
    }
}
