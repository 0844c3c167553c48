import Testing
import Wire

/// The orders Python protobuf (upb) writes map entries in with `deterministic=True`, measured with
/// `SerializeToString(deterministic=True)` on maps of each key type (see `MapKeyOrder.swift`).
@Suite struct MapKeyOrderTests {
    @Test func stringKeysAscendByBytesWithLongerPrefixedKeysFirst() {
        let map = ["ab": 1, "a": 1, "b": 1, "": 1, "ba": 1]
        #expect(map.keysInWireOrder == ["ab", "a", "ba", "b", ""])
    }

    @Test func integerKeysDescendByUnsignedBitPattern() {
        let signed: [Int32: Int] = [5: 1, -1: 1, 0: 1, -100: 1, 3: 1]
        #expect(signed.keysInWireOrder == [-1, -100, 5, 3, 0])
        let unsigned: [UInt64: Int] = [(1 << 63) + 5: 1, 1: 1, 1 << 40: 1]
        #expect(unsigned.keysInWireOrder == [(1 << 63) + 5, 1 << 40, 1])
        let wide: [Int64: Int] = [-5: 1, 3: 1, 0: 1]
        #expect(wide.keysInWireOrder == [-5, 3, 0])
    }

    @Test func trueComesBeforeFalse() {
        #expect([false: 1, true: 1].keysInWireOrder == [true, false])
    }
}
