@testable import ContentStore
import Foundation
import Testing

@Suite("HAMT pieces: murmur3, slots, bitfield, shards")
struct HAMTTests {
    /// MurmurHash3 x64_128 values published with the reference port spaolacci/murmur3
    /// (murmur_test.go), which boxo hashes names with: seed, input, h1, h2.
    @Test(arguments: [
        (UInt32(0x00), "", UInt64(0x0000_0000_0000_0000), UInt64(0x0000_0000_0000_0000)),
        (0x00, "hello", 0xcbd8_a7b3_41bd_9b02, 0x5b1e_906a_48ae_1d19),
        (0x00, "hello, world", 0x342f_ac62_3a5e_bc8e, 0x4cdc_bc07_9642_414d),
        (0x00, "19 Jan 2038 at 3:14:07 AM", 0xb89e_5988_b737_affc, 0x664f_c295_0231_b2cb),
        (0x00, "The quick brown fox jumps over the lazy dog.", 0xcd99_481f_9ee9_02c9, 0x695d_a1a3_8987_b6e7),
        (0x01, "", 0x4610_abe5_6eff_5cb5, 0x5162_2daa_78f8_3583),
        (0x01, "hello", 0xa78d_dff5_adae_8d10, 0x1289_00ef_2090_0135),
        (0x01, "hello, world", 0x8b95_f808_8407_25c6, 0x1597_ed54_22bd_493b),
        (0x01, "19 Jan 2038 at 3:14:07 AM", 0x2a92_9de9_c8f9_7b2f, 0x56a4_1d99_af43_a2db),
        (0x01, "The quick brown fox jumps over the lazy dog.", 0xfb33_2517_1f97_44da, 0xaaf8_b92a_5f72_2952),
        (0x2a, "", 0xf02a_a77d_fa1b_8523, 0xd101_6610_da11_cbb9),
        (0x2a, "hello", 0xc4b8_b3c9_60af_6f08, 0x2334_b875_b0ef_bc7a),
        (0x2a, "hello, world", 0xb918_64d7_97ca_a956, 0xd5d1_39a5_5afe_6150),
        (0x2a, "19 Jan 2038 at 3:14:07 AM", 0xfd8f_19eb_dc8c_6b6a, 0xd30f_dc31_0fa0_8ff9),
        (0x2a, "The quick brown fox jumps over the lazy dog.", 0x74f3_3c65_9cda_5af7, 0x4ec7_a891_caf3_16f0),
    ])
    func murmur3MatchesPublishedValues(seed: UInt32, input: String, h1: UInt64, h2: UInt64) {
        let hash = Murmur3.x64_128(Array(input.utf8), seed: seed)
        #expect(hash.h1 == h1)
        #expect(hash.h2 == h2)
    }

    /// The first level takes the hash's most significant byte, the next level the byte after it.
    @Test func slotsTakeTheHashOneByteALevelFromTheTop() {
        let entry = HAMTDirectoryWriter.Entry(
            link: DagPBLink(cid: .v0(.sha256(Data())), name: "hello", tsize: 0), name: "hello", hash: HAMTDirectoryWriter.hash("hello"))
        #expect(entry.hash == 0xcbd8_a7b3_41bd_9b02)
        #expect((0..<8).map { entry.slot(atDepth: $0) } == [0xcb, 0xd8, 0xa7, 0xb3, 0x41, 0xbd, 0x9b, 0x02])
    }

    @Test func slotNamesAreTwoUpperCaseHexDigits() {
        #expect(HAMTDirectoryWriter.slotName(0) == "00")
        #expect(HAMTDirectoryWriter.slotName(10) == "0A")
        #expect(HAMTDirectoryWriter.slotName(255) == "FF")
    }

    /// go-bitfield's bytes: big-endian (slot 0 is the last byte's low bit), leading zero bytes dropped.
    @Test func bitfieldIsBigEndianWithoutLeadingZeroBytes() {
        #expect(HAMTDirectoryWriter.bitfield(occupied: []) == nil)
        #expect(HAMTDirectoryWriter.bitfield(occupied: [0]) == Data([0x01]))
        #expect(HAMTDirectoryWriter.bitfield(occupied: [7]) == Data([0x80]))
        #expect(HAMTDirectoryWriter.bitfield(occupied: [8, 1]) == Data([0x01, 0x02]))
        #expect(HAMTDirectoryWriter.bitfield(occupied: [255]) == Data([0x80] + [UInt8](repeating: 0, count: 31)))
        #expect(HAMTDirectoryWriter.bitfield(occupied: 0..<256) == Data(repeating: 0xff, count: 32))
    }

    /// Two names in one slot go to a child shard named by the slot alone, where each gets the
    /// slot of its hash's next byte; the header names murmur3 and the fanout.
    @Test func namesSharingASlotGoToAChildShard() throws {
        let names = (0..<100).map { "entry-\($0)" }
        let bySlot = Dictionary(grouping: names) { HAMTDirectoryWriter.hash($0) >> 56 }
        let shared = try #require(bySlot.values.first { $0.count == 2 && HAMTDirectoryWriter.hash($0[0]) >> 48 != HAMTDirectoryWriter.hash($0[1]) >> 48 })
        let alone = try #require(bySlot.values.first { $0.count == 1 })[0]
        let file = CID.v0(.sha256(Data("x".utf8)))
        let links = (shared + [alone]).map { DagPBLink(cid: file, name: $0, tsize: 9) }

        let blocks = MemoryBlockStore()
        let root = try HAMTDirectoryWriter(options: ImportOptions(), sink: blocks).write(links, directory: "test")
        guard case .dagPB(let node, let header?) = try DagNode(block: blocks.get(root.cid), cid: root.cid) else {
            Issue.record("root is not a UnixFS node")
            return
        }
        #expect(header.kind == .hamtShard)
        #expect(header.hashType == 0x22)
        #expect(header.fanout == 256)
        let sharedSlot = HAMTDirectoryWriter.slotName(Int(HAMTDirectoryWriter.hash(shared[0]) >> 56))
        let aloneSlot = HAMTDirectoryWriter.slotName(Int(HAMTDirectoryWriter.hash(alone) >> 56))
        #expect(Set(node.links.map { $0.name ?? "" }) == [sharedSlot, aloneSlot + alone])

        let childLink = try #require(node.links.first { $0.name == sharedSlot })
        guard case .dagPB(let child, _) = try DagNode(block: blocks.get(childLink.cid), cid: childLink.cid) else {
            Issue.record("child is not dag-pb")
            return
        }
        let expected = shared.map { HAMTDirectoryWriter.slotName(Int(HAMTDirectoryWriter.hash($0) >> 48 & 0xff)) + $0 }
        #expect(Set(child.links.map { $0.name ?? "" }) == Set(expected))
        #expect(childLink.tsize == UInt64(try blocks.get(childLink.cid).count) + 18)
        #expect(root.dagSize == UInt64(try blocks.get(root.cid).count) + childLink.tsize! + 9)
    }
}
