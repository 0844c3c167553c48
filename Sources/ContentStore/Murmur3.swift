/// MurmurHash3 x64_128 (Austin Appleby's public-domain reference), the hash UnixFS HAMT
/// directories use to place entry names; not a cryptographic hash.
enum Murmur3 {
    private static let c1: UInt64 = 0x87c3_7b91_1142_53d5
    private static let c2: UInt64 = 0x4cf5_ad43_2745_937f

    /// The 128-bit hash as its two 64-bit halves, `h1` first (the reference's output order).
    static func x64_128(_ bytes: [UInt8], seed: UInt32 = 0) -> (h1: UInt64, h2: UInt64) {
        var h1 = UInt64(seed)
        var h2 = UInt64(seed)
        let blockCount = bytes.count / 16
        for block in 0..<blockCount {
            let k1 = littleEndianWord(bytes, at: block * 16, count: 8)
            let k2 = littleEndianWord(bytes, at: block * 16 + 8, count: 8)
            h1 ^= mixK1(k1)
            h1 = rotate(h1, 27) &+ h2
            h1 = h1 &* 5 &+ 0x52dc_e729
            h2 ^= mixK2(k2)
            h2 = rotate(h2, 31) &+ h1
            h2 = h2 &* 5 &+ 0x3849_5ab5
        }
        let tail = blockCount * 16
        let tailCount = bytes.count - tail
        if tailCount > 8 {
            h2 ^= mixK2(littleEndianWord(bytes, at: tail + 8, count: tailCount - 8))
        }
        if tailCount > 0 {
            h1 ^= mixK1(littleEndianWord(bytes, at: tail, count: min(tailCount, 8)))
        }
        h1 ^= UInt64(bytes.count)
        h2 ^= UInt64(bytes.count)
        h1 = h1 &+ h2
        h2 = h2 &+ h1
        h1 = finalMix(h1)
        h2 = finalMix(h2)
        h1 = h1 &+ h2
        h2 = h2 &+ h1
        return (h1, h2)
    }

    private static func mixK1(_ k: UInt64) -> UInt64 { rotate(k &* c1, 31) &* c2 }

    private static func mixK2(_ k: UInt64) -> UInt64 { rotate(k &* c2, 33) &* c1 }

    private static func finalMix(_ value: UInt64) -> UInt64 {
        var k = value
        k ^= k >> 33
        k = k &* 0xff51_afd7_ed55_8ccd
        k ^= k >> 33
        k = k &* 0xc4ce_b9fe_1a85_ec53
        k ^= k >> 33
        return k
    }

    private static func rotate(_ value: UInt64, _ count: UInt64) -> UInt64 {
        (value << count) | (value >> (64 - count))
    }

    /// Up to 8 bytes from `start`, the first the least significant.
    private static func littleEndianWord(_ bytes: [UInt8], at start: Int, count: Int) -> UInt64 {
        var word: UInt64 = 0
        for offset in (0..<count).reversed() {
            word = word << 8 | UInt64(bytes[start + offset])
        }
        return word
    }
}
