import Foundation
import LedgerCore
import Schema
import Testing
import Wire
@testable import LedgerStore

@Suite struct BlockStoreTests {
    @Test func appendReadsBackExactBytesAndRejectsGaps() throws {
        let directory = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let blocks = try BlockStore(directory: directory, durability: .full)
        #expect(try blocks.height() == 0)
        #expect(try blocks.block(0) == nil)
        #expect(throws: LedgerError.outOfOrderBlock(expected: 0, got: 1)) { try blocks.append(makeBlock(1)) }
        try blocks.append(makeBlock(0))
        // Bytes that a re-encoding would not reproduce (an unknown field) must come back as stored.
        let odd = makeBlock(1).serializedData() + Data([0xF8, 0x01, 0x07])
        try blocks.append(number: 1, bytes: odd)
        #expect(throws: LedgerError.outOfOrderBlock(expected: 2, got: 1)) { try blocks.append(makeBlock(1)) }
        #expect(try blocks.height() == 2)
        #expect(try blocks.blockBytes(0) == makeBlock(0).serializedData())
        #expect(try blocks.blockBytes(1) == odd)
        #expect(try blocks.block(0) == makeBlock(0))
        #expect(try blocks.blockBytes(2) == nil)
    }

    @Test func reopeningKeepsTheChainAndIterationStreamsInOrder() throws {
        let directory = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        do {
            let store = try LedgerStore(directory: directory)
            for number: UInt64 in 0..<4 { try store.blocks.append(makeBlock(number)) }
        }
        let permissions = try FileManager.default.attributesOfItem(atPath: directory.path)[.posixPermissions] as? Int
        #expect(permissions == 0o700)
        let reopened = try LedgerStore(directory: directory)
        #expect(try reopened.blocks.height() == 4)
        var seen: [UInt64] = []
        try reopened.blocks.forEachBlock(from: 1) { number, bytes in
            #expect(bytes == makeBlock(number).serializedData())
            seen.append(number)
        }
        #expect(seen == [1, 2, 3])
        try reopened.blocks.append(makeBlock(4))
        #expect(try reopened.blocks.height() == 5)
    }
}
