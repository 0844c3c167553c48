import ContentStore
import Foundation
import MedLedgerTesting
import Testing

@Suite("CAR v1 export and import")
struct CARTests {
    static func export(_ store: ContentStore, _ roots: [CID]) async throws -> Data {
        var car = Data()
        try await store.exportCAR(roots: roots) { car.append($0) }
        return car
    }

    static func pieces(_ data: Data, size: Int) -> AsyncThrowingStream<Data, any Error> {
        AsyncThrowingStream { continuation in
            var start = data.startIndex
            while start < data.endIndex {
                let end = min(start + size, data.endIndex)
                continuation.yield(data[start..<end])
                start = end
            }
            continuation.finish()
        }
    }

    @Test func headerIsCanonicalDagCBOR() throws {
        let root = try CID("QmdfTbBqBPQ7VNxZEYEj14VmRuZBkqFbiwReogJgS1zR1n")
        let header = CARHeader(roots: [root]).encoded()
        // {"roots": [42(h'00' + cid)], "version": 1}, keys in length-first canonical order.
        let expected = hex("a265726f6f747381d82a582300") + Data(root.bytes) + hex("6776657273696f6e01")
        #expect(Data(header) == expected)
        #expect(try CARHeader(decoding: header) == CARHeader(roots: [root]))
    }

    @Test(arguments: [1, 7, 4096])
    func roundTripIntoAnotherStoreVerifiesEveryBlock(pieceSize: Int) async throws {
        let source = try ContentStore(blocks: MemoryBlockStore())
        let data = pseudoRandomBytes(20_000, seed: 11)
        let file = try source.add { try importBytes(data, options: ImportOptions(cidVersion: 1, chunker: Chunker(size: 1000)), into: $0) }
        let car = try await Self.export(source, [file.cid])

        let target = try ContentStore(blocks: MemoryBlockStore())
        let imported = try await target.importCAR(Self.pieces(car, size: pieceSize), pinRoots: true)
        #expect(imported.roots == [file.cid])
        #expect(imported.blocks == 21)
        #expect(try await readAll(target, file.cid) == data)
        #expect(target.pins().map(\.cid) == [file.cid])
        #expect(try await Self.export(target, [file.cid]) == car)
    }

    @Test func truncatedCARIsRejected() async throws {
        let source = try ContentStore(blocks: MemoryBlockStore())
        let file = try source.add { try importBytes(pseudoRandomBytes(3000, seed: 12), options: ImportOptions(chunker: Chunker(size: 1000)), into: $0) }
        let car = try await Self.export(source, [file.cid])
        for cut in [0, 5, 30, car.count - 1] {
            let target = try ContentStore(blocks: MemoryBlockStore())
            await #expect(throws: ContentError.self, "cut at \(cut)") {
                _ = try await target.importCAR(Self.pieces(car.prefix(cut), size: 100), pinRoots: true)
            }
            #expect(target.pins().isEmpty)
        }
    }

    @Test func aBlockThatDoesNotMatchItsCIDIsRejected() async throws {
        let source = try ContentStore(blocks: MemoryBlockStore())
        let file = try source.add { try importBytes(Data("hello world\n".utf8), options: ImportOptions(), into: $0) }
        var car = try await Self.export(source, [file.cid])
        car[car.count - 3] ^= 0xff
        let target = try ContentStore(blocks: MemoryBlockStore())
        await #expect(throws: ContentError.hashMismatch(cid: file.cid.description)) {
            _ = try await target.importCAR(Self.pieces(car, size: 64), pinRoots: false)
        }
        #expect(!target.blocks.has(file.cid))
    }

    @Test func garbageHeaderIsRejected() async throws {
        let target = try ContentStore(blocks: MemoryBlockStore())
        for garbage in [hex("05a1617801"), hex("0aa265726f6f74738067"), hex("ff")] {
            await #expect(throws: ContentError.self) {
                _ = try await target.importCAR(Self.pieces(garbage, size: 3), pinRoots: false)
            }
        }
    }
}
