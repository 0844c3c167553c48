import Foundation
import Testing
import Wire

/// Encoding of the generated-style test messages: exact bytes, round trips, unknown fields and
/// zero-copy `bytes`.
@Suite struct MessageCodecTests {
    static func sample() -> Test_Outer {
        var inner = Test_Inner()
        inner.name = "inner"
        inner.blob = Data([0xDE, 0xAD])
        var child = Test_Outer()
        child.id = 2
        child.values = [-1]
        var outer = Test_Outer()
        outer.id = 150
        outer.name = "testing"
        outer.payload = Data([1, 2, 3])
        outer.inner = inner
        outer.values = [3, 270, 86942]
        outer.child = child
        outer.fixeds = [1, 0xFFFF_FFFF]
        outer.items = [inner, Test_Inner()]
        outer.counts = ["a": 1, "b": -2]
        outer.delta = -3
        outer.ratio = 0.5
        outer.kind = .leaf
        return outer
    }

    @Test func encodesKnownByteVectors() {
        var message = Test_Outer()
        message.id = 150
        #expect(Array(message.serializedData()) == [0x08, 0x96, 0x01])

        message = Test_Outer()
        message.name = "testing"
        #expect(Array(message.serializedData()) == [0x12, 0x07] + Array("testing".utf8))

        message = Test_Outer()
        message.values = [3, 270, 86942]
        #expect(Array(message.serializedData()) == [0x2A, 0x06, 0x03, 0x8E, 0x02, 0x9E, 0xA7, 0x05])

        message = Test_Outer()
        message.delta = -1
        message.kind = .UNRECOGNIZED(-1)
        #expect(Array(message.serializedData()) == [0x50, 0x01, 0x60] + [UInt8](repeating: 0xFF, count: 9) + [0x01])

        message = Test_Outer()
        message.inner = Test_Inner()
        #expect(Array(message.serializedData()) == [0x22, 0x00], "a present empty message is still written")
        #expect(Test_Outer().serializedData().isEmpty)
    }

    @Test func roundTripsEveryField() throws {
        let original = Self.sample()
        let data = original.serializedData()
        #expect(data.count == original.serializedSize)
        let decoded = try Test_Outer(serializedData: data)
        #expect(decoded == original)
        #expect(decoded.serializedData() == data)
    }

    @Test func encodingIsIndependentOfMapInsertionOrder() {
        var first = Test_Outer()
        var second = Test_Outer()
        let keys = (0..<50).map { "key\($0)" }
        for key in keys { first.counts[key] = Int64(key.count) }
        for key in keys.reversed() { second.counts[key] = Int64(key.count) }
        #expect(first.serializedData() == second.serializedData())
    }

    /// Unpacked encodings of packable fields are accepted, and repeated occurrences accumulate.
    @Test func acceptsPackedAndUnpackedRepeatedFields() throws {
        let bytes: [UInt8] = [0x28, 0x01, 0x2A, 0x02, 0x02, 0x03, 0x28, 0x04, 0x3D, 1, 0, 0, 0, 0x3A, 0x04, 2, 0, 0, 0]
        let message = try Test_Outer(serializedBytes: bytes)
        #expect(message.values == [1, 2, 3, 4])
        #expect(message.fixeds == [1, 2])
    }

    /// A singular message field seen twice is merged; a scalar seen twice takes the last value.
    @Test func mergesRepeatedOccurrencesOfASingularMessage() throws {
        let bytes = delimited([0x22], delimited([0x0A], Array("x".utf8))) + delimited([0x22], delimited([0x12], [7])) + [0x08, 0x01, 0x08, 0x02]
        let message = try Test_Outer(serializedBytes: bytes)
        #expect(message.inner?.name == "x")
        #expect(message.inner?.blob == Data([7]))
        #expect(message.id == 2)
    }

    @Test func mapEntriesWithMissingKeyOrValueTakeDefaults() throws {
        let bytes = delimited([0x4A], [0x10, 0x05]) + delimited([0x4A], delimited([0x0A], Array("k".utf8))) + delimited([0x4A], delimited([0x0A], Array("k".utf8)) + [0x10, 0x09])
        let message = try Test_Outer(serializedBytes: bytes)
        #expect(message.counts == ["": 5, "k": 9])
    }

    // MARK: Unknown fields

    /// Field 20 varint, 21 fixed64, 22 length-delimited, 23 a group (holding a varint and a nested
    /// group), 24 fixed32: none of them are in the schema.
    static let unknownBytes: [UInt8] =
        [0xA0, 0x01, 0x96, 0x01]
        + [0xA9, 0x01, 1, 2, 3, 4, 5, 6, 7, 8]
        + [0xB2, 0x01, 0x02, 0x61, 0x62]
        + [0xBB, 0x01, 0x08, 0x05, 0x13, 0x18, 0x01, 0x14, 0xBC, 0x01]
        + [0xC5, 0x01, 9, 8, 7, 6]

    @Test func unknownFieldsArePreservedByteForByteAndWrittenLast() throws {
        let bytes: [UInt8] = [0xA0, 0x01, 0x96, 0x01] + [0x08, 0x01] + Array(Self.unknownBytes.dropFirst(4)) + [0x12, 0x01, 0x7A]
        let message = try Test_Outer(serializedBytes: bytes)
        #expect(message.id == 1)
        #expect(message.name == "z")
        #expect(message.unknownFields.data == Data(Self.unknownBytes))
        #expect(Array(message.serializedData()) == [0x08, 0x01, 0x12, 0x01, 0x7A] + Self.unknownBytes)
        #expect(message.serializedSize == bytes.count)
    }

    @Test func unknownFieldsOfNestedMessagesSurviveARoundTrip() throws {
        let innerBody: [UInt8] = [0x0A, 0x01, 0x61] + Self.unknownBytes
        let bytes = delimited([0x22], innerBody) + delimited([0x42], innerBody)
        let message = try Test_Outer(serializedBytes: bytes)
        #expect(message.inner?.unknownFields.data == Data(Self.unknownBytes))
        #expect(message.items.first?.unknownFields.data == Data(Self.unknownBytes))
        #expect(Array(message.serializedData()) == bytes)
    }

    @Test func unknownEnumNumbersArePreserved() throws {
        let message = try Test_Outer(serializedBytes: [0x60, 0x2A])
        #expect(message.kind == .UNRECOGNIZED(42))
        #expect(Array(message.serializedData()) == [0x60, 0x2A])
    }

    // MARK: Shared storage

    /// `bytes` fields are slices of the input, not copies.
    @Test func decodedBytesShareTheInputStorage() throws {
        let payload = [UInt8](repeating: 0xAB, count: 100)
        let blob = [UInt8](0..<64)
        let source = Data(delimited([0x1A], payload) + delimited([0x22], delimited([0x12], blob)))
        let message = try Test_Outer(serializedData: source)
        #expect(Array(message.payload) == payload)
        #expect(message.inner.map { Array($0.blob) } == blob)

        source.withUnsafeBytes { sourceBuffer in
            let sourceRange = UInt(bitPattern: sourceBuffer.baseAddress!)..<UInt(bitPattern: sourceBuffer.baseAddress! + sourceBuffer.count)
            func isInsideSource(_ data: Data) -> Bool {
                data.withUnsafeBytes { buffer in
                    let start = UInt(bitPattern: buffer.baseAddress!)
                    return sourceRange.contains(start) && sourceRange.contains(start + UInt(buffer.count) - 1)
                }
            }
            #expect(isInsideSource(message.payload))
            #expect(isInsideSource(message.inner!.blob))
        }
    }

    /// Decoding from a slice whose indices do not start at zero reads the slice's own bytes.
    @Test func decodesFromADataSlice() throws {
        let encoded = Self.sample().serializedData()
        let padded = Data([0xFF, 0xFF, 0xFF]) + encoded + Data([0xFF])
        let slice = padded[3..<(3 + encoded.count)]
        #expect(slice.startIndex == 3)
        let decoded = try Test_Outer(serializedData: slice)
        #expect(decoded == Self.sample())
        #expect(decoded.payload == Data([1, 2, 3]))
    }

    // MARK: Recursion

    @Test func recursiveFieldsKeepValueSemantics() {
        var parent = Test_Outer()
        var child = Test_Outer()
        child.id = 1
        parent.child = child
        var copy = parent
        copy.child?.id = 2
        #expect(parent.child?.id == 1)
        #expect(copy.child?.id == 2)
        #expect(parent != copy)
    }
}
