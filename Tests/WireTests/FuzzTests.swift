import Foundation
import MedLedgerTesting
import Testing
import Wire

/// Arbitrary bytes must decode or throw — never crash — and whatever decodes must survive a round
/// trip. The generator is seeded so a failure can be replayed.
@Suite struct FuzzTests {
    static let iterations = 20_000

    /// Checks one input; returns whether it decoded.
    @discardableResult
    static func check(_ bytes: [UInt8], sourceLocation: SourceLocation = #_sourceLocation) -> Bool {
        guard let decoded = try? Test_Outer(serializedBytes: bytes) else { return false }
        let encoded = decoded.serializedData()
        #expect(encoded.count == decoded.serializedSize, "input \(bytes)", sourceLocation: sourceLocation)
        do {
            let again = try Test_Outer(serializedData: encoded)
            // NaN != NaN, so a value holding a NaN ratio is compared by its deterministic encoding.
            if containsNaN(decoded) {
                #expect(again.serializedData() == encoded, "input \(bytes)", sourceLocation: sourceLocation)
            } else {
                #expect(again == decoded, "input \(bytes)", sourceLocation: sourceLocation)
            }
        } catch {
            Issue.record("re-encoded value does not decode: \(error); input \(bytes)", sourceLocation: sourceLocation)
        }
        return true
    }

    static func containsNaN(_ message: Test_Outer) -> Bool {
        message.ratio.isNaN || (message.child.map(containsNaN) ?? false)
    }

    @Test func randomByteStrings() {
        var random = SplitMix64(seed: 0x5EED_0001)
        var decodedCount = 0
        for _ in 0..<Self.iterations {
            let length = Int.random(in: 0...64, using: &random)
            let bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &random) }
            if Self.check(bytes) { decodedCount += 1 }
        }
        // The empty string and many short strings are valid; the test must exercise both outcomes.
        #expect(decodedCount > 0)
        #expect(decodedCount < Self.iterations)
    }

    @Test func mutationsOfAValidEncoding() {
        let valid = Array(MessageCodecTests.sample().serializedData())
        var random = SplitMix64(seed: 0x5EED_0002)
        var decodedCount = 0
        for _ in 0..<Self.iterations {
            var bytes = valid
            for _ in 0..<Int.random(in: 1...4, using: &random) {
                switch Int.random(in: 0..<5, using: &random) {
                case 0:
                    let index = Int.random(in: 0..<bytes.count, using: &random)
                    bytes[index] ^= 1 << UInt8.random(in: 0..<8, using: &random)
                case 1:
                    bytes.removeLast(Int.random(in: 0...bytes.count, using: &random))
                case 2:
                    bytes[Int.random(in: 0..<bytes.count, using: &random)] = UInt8.random(in: 0...255, using: &random)
                case 3:
                    bytes.insert(UInt8.random(in: 0...255, using: &random), at: Int.random(in: 0...bytes.count, using: &random))
                default:
                    if !bytes.isEmpty { bytes.remove(at: Int.random(in: 0..<bytes.count, using: &random)) }
                }
                if bytes.isEmpty { bytes = valid }
            }
            if Self.check(bytes) { decodedCount += 1 }
        }
        #expect(decodedCount > 0)
        #expect(decodedCount < Self.iterations)
    }

    /// Every prefix of a valid encoding either decodes or throws.
    @Test func everyTruncation() {
        let valid = Array(MessageCodecTests.sample().serializedData())
        for length in 0...valid.count {
            Self.check(Array(valid[..<length]))
        }
        #expect(Self.check(valid))
    }
}
