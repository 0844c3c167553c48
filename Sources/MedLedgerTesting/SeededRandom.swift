public import Foundation

/// Deterministic pseudo-random numbers (SplitMix64): a failing case reproduces from its seed.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    public var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Deterministic pseudo-random bytes (xorshift64*), so that failures reproduce; the same seed
/// gives the same bytes on every machine.
public func pseudoRandomBytes(_ count: Int, seed: UInt64) -> Data {
    var state = (seed &+ 1) &* 0x9E37_79B9_7F4A_7C15 | 1
    var bytes = [UInt8](repeating: 0, count: count)
    var index = 0
    while index < count {
        state ^= state >> 12
        state ^= state << 25
        state ^= state >> 27
        var word = state &* 2_685_821_657_736_338_717
        for _ in 0..<8 where index < count {
            bytes[index] = UInt8(truncatingIfNeeded: word)
            word >>= 8
            index += 1
        }
    }
    return Data(bytes)
}
