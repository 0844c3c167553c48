import Foundation
import Testing
import Wire

/// Malformed input is rejected with the exact error kind and the path of the field it was in.
///
/// Tags used below — Outer: id 0x08, name 0x12, payload 0x1A, inner 0x22, values 0x2A (packed) /
/// 0x28, child 0x32, fixeds 0x3A (packed) / 0x3D, items 0x42, counts 0x4A, ratio 0x59.
/// Inner: name 0x0A. Field 20 is unknown to both (0xA0 0x01 varint, 0xA2 0x01 length-delimited,
/// 0xA3 0x01 start group, 0xA4 0x01 end group).
@Suite struct StrictDecodingTests {
    static let outer = "test.Outer"

    private func expectError(
        _ bytes: [UInt8],
        _ kind: WireDecodingError.Kind,
        path: [String],
        options: DecodingOptions = .default,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        guard let error = decodingError(Test_Outer.self, bytes, options: options, sourceLocation: sourceLocation) else { return }
        #expect(error.kind == kind, sourceLocation: sourceLocation)
        #expect(error.path == path, sourceLocation: sourceLocation)
    }

    // MARK: Truncation

    @Test func truncatedInATag() {
        expectError([0x80], .truncated, path: [Self.outer])
        // Inside a nested message: the tag's continuation byte is the last byte of `inner`.
        expectError([0x22, 0x01, 0x80], .truncated, path: [Self.outer, "inner"])
    }

    @Test func truncatedInAVarint() {
        expectError([0x08, 0x80], .truncated, path: [Self.outer, "id"])
        expectError([0x08, 0xFF, 0xFF, 0xFF], .truncated, path: [Self.outer, "id"])
        expectError([0x2A, 0x02, 0x01, 0x80], .truncated, path: [Self.outer, "values"])
    }

    @Test func truncatedInFixedWidthValues() {
        expectError([0x3D, 0x01, 0x02, 0x03], .truncated, path: [Self.outer, "fixeds"])
        expectError([0x59, 1, 2, 3, 4, 5, 6, 7], .truncated, path: [Self.outer, "ratio"])
        expectError([0xA5, 0x01, 1, 2], .truncated, path: [Self.outer])
    }

    @Test func lengthDelimitedBodyCutShortIsALengthPastTheEnd() {
        expectError([0x12, 0x05, 0x61], .lengthPastEnd(length: 5, remaining: 1), path: [Self.outer, "name"])
        expectError([0x1A, 0x02], .lengthPastEnd(length: 2, remaining: 0), path: [Self.outer, "payload"])
        expectError([0x22, 0x03, 0x0A], .lengthPastEnd(length: 3, remaining: 1), path: [Self.outer, "inner"])
    }

    /// A length that fits in the input but not in the enclosing message is caught at the message boundary.
    @Test func lengthPastTheEndOfTheEnclosingMessage() {
        let bytes: [UInt8] = [0x22, 0x03, 0x0A, 0x05, 0x61] + [0x08, 0x01, 0x08, 0x01]
        expectError(bytes, .lengthPastEnd(length: 5, remaining: 1), path: [Self.outer, "inner", "name"])
    }

    /// A huge length prefix is compared with what remains before anything is read or allocated.
    @Test(arguments: [UInt64(1) << 62, UInt64(Int64.max), UInt64.max])
    func hugeLengthPrefix(length: UInt64) {
        expectError([0x12] + varint(length), .lengthPastEnd(length: length, remaining: 0), path: [Self.outer, "name"])
        expectError([0x1A] + varint(length) + [1, 2], .lengthPastEnd(length: length, remaining: 2), path: [Self.outer, "payload"])
        expectError([0x2A] + varint(length), .lengthPastEnd(length: length, remaining: 0), path: [Self.outer, "values"])
        expectError([0x3A] + varint(length), .lengthPastEnd(length: length, remaining: 0), path: [Self.outer, "fixeds"])
        expectError([0x42] + varint(length), .lengthPastEnd(length: length, remaining: 0), path: [Self.outer, "items", "[0]"])
        expectError([0x4A] + varint(length), .lengthPastEnd(length: length, remaining: 0), path: [Self.outer, "counts"])
        expectError([0xA2, 0x01] + varint(length), .lengthPastEnd(length: length, remaining: 0), path: [Self.outer])
    }

    // MARK: Malformed keys and varints

    @Test func varintLongerThanTenBytes() {
        expectError([0x08] + [UInt8](repeating: 0xFF, count: 10) + [0x01], .varintTooLong, path: [Self.outer, "id"])
        expectError([UInt8](repeating: 0x80, count: 11) + [0x00], .varintTooLong, path: [Self.outer])
    }

    /// The tenth byte of a varint may only carry bit 63.
    @Test func tenthVarintByteWithBitsAbove64() throws {
        let maximum = try Test_Outer(serializedBytes: [0x08] + [UInt8](repeating: 0xFF, count: 9) + [0x01])
        #expect(maximum.id == UInt64.max)
        expectError([0x08] + [UInt8](repeating: 0xFF, count: 9) + [0x02], .varintTooLong, path: [Self.outer, "id"])
        expectError([0x08] + [UInt8](repeating: 0x80, count: 9) + [0x7F], .varintTooLong, path: [Self.outer, "id"])
    }

    @Test(arguments: [UInt8(6), 7])
    func invalidWireType(wireType: UInt8) {
        expectError([0x08 | wireType], .invalidWireType(wireType), path: [Self.outer])
        expectError([0x22, 0x01, 0x08 | wireType], .invalidWireType(wireType), path: [Self.outer, "inner"])
    }

    @Test func fieldNumberZeroAndAboveTheMaximum() {
        expectError([0x00, 0x00], .invalidFieldNumber(0), path: [Self.outer])
        expectError([0x02, 0x00], .invalidFieldNumber(0), path: [Self.outer])
        let tooLarge = UInt64(WireFormat.maxFieldNumber + 1)
        expectError(varint(tooLarge << 3), .invalidFieldNumber(tooLarge), path: [Self.outer])
        expectError(delimited([0x42], [0x00, 0x00]), .invalidFieldNumber(0), path: [Self.outer, "items", "[0]"])
    }

    @Test func wrongWireTypeForAKnownField() {
        expectError([0x0A, 0x00], .wrongWireType(field: 1, expected: .varint, actual: .lengthDelimited), path: [Self.outer, "id"])
        expectError([0x10, 0x01], .wrongWireType(field: 2, expected: .lengthDelimited, actual: .varint), path: [Self.outer, "name"])
        expectError([0x2D, 0, 0, 0, 0], .wrongWireType(field: 5, expected: .varint, actual: .fixed32), path: [Self.outer, "values"])
        expectError([0x38, 0x00], .wrongWireType(field: 7, expected: .fixed32, actual: .varint), path: [Self.outer, "fixeds"])
        expectError([0x5D, 0, 0, 0, 0], .wrongWireType(field: 11, expected: .fixed64, actual: .fixed32), path: [Self.outer, "ratio"])
        expectError([0x22, 0x02, 0x08, 0x01], .wrongWireType(field: 1, expected: .lengthDelimited, actual: .varint), path: [Self.outer, "inner", "name"])
        expectError([0x0B, 0x0C], .wrongWireType(field: 1, expected: .varint, actual: .startGroup), path: [Self.outer, "id"])
    }

    // MARK: Limits

    /// `depth` levels of `child` below the root message.
    static func nestedChildren(_ depth: Int) -> [UInt8] {
        var bytes: [UInt8] = [0x08, 0x07]
        for _ in 0..<depth { bytes = delimited([0x32], bytes) }
        return bytes
    }

    @Test func nestingOfExactlyTheLimitDecodes() throws {
        var message = try Test_Outer(serializedBytes: Self.nestedChildren(100))
        var depth = 0
        while let child = message.child {
            message = child
            depth += 1
        }
        #expect(depth == 100)
        #expect(message.id == 7)
    }

    @Test func nestingDeeperThanTheLimitFails() {
        expectError(Self.nestedChildren(101), .nestingTooDeep(limit: 100), path: [Self.outer] + Array(repeating: "child", count: 101))
        expectError(
            Self.nestedChildren(4),
            .nestingTooDeep(limit: 3),
            path: [Self.outer] + Array(repeating: "child", count: 4),
            options: DecodingOptions(maxDepth: 3)
        )
    }

    @Test func unknownGroupsCountTowardsTheNestingLimit() throws {
        func groups(_ depth: Int) -> [UInt8] {
            Array([[UInt8]](repeating: [0xA3, 0x01], count: depth).joined()) + Array([[UInt8]](repeating: [0xA4, 0x01], count: depth).joined())
        }
        #expect(try Test_Outer(serializedBytes: groups(100)).unknownFields.data == Data(groups(100)))
        expectError(groups(101), .nestingTooDeep(limit: 100), path: [Self.outer])
    }

    @Test func messageLargerThanTheConfiguredLimit() throws {
        let bytes: [UInt8] = [0x12, 0x03, 0x61, 0x62, 0x63]
        expectError(bytes, .messageTooLarge(size: 5, limit: 4), path: [Self.outer], options: DecodingOptions(maxMessageSize: 4))
        #expect(try Test_Outer(serializedBytes: bytes, options: DecodingOptions(maxMessageSize: 5)).name == "abc")
    }

    // MARK: Content

    @Test(arguments: [[0xC0, 0x80], [0x80], [0xED, 0xA0, 0x80], [0x61, 0xFF], [0xE2, 0x82], [0xF4, 0x90, 0x80, 0x80]] as [[UInt8]])
    func invalidUTF8(string: [UInt8]) {
        expectError(delimited([0x12], string), .invalidUTF8, path: [Self.outer, "name"])
        expectError(delimited([0x22], delimited([0x0A], string)), .invalidUTF8, path: [Self.outer, "inner", "name"])
        expectError(delimited([0x42], []) + delimited([0x42], delimited([0x0A], string)), .invalidUTF8, path: [Self.outer, "items", "[1]", "name"])
        expectError(delimited([0x4A], delimited([0x0A], string)), .invalidUTF8, path: [Self.outer, "counts", "key"])
    }

    @Test func validUTF8IncludingFourByteSequences() throws {
        let text = "é€😀\u{10FFFF}"
        #expect(try Test_Outer(serializedBytes: delimited([0x12], Array(text.utf8))).name == text)
    }

    @Test func misalignedPackedFixedWidthField() {
        expectError([0x3A, 0x03, 1, 2, 3], .misalignedPackedLength(length: 3, elementSize: 4), path: [Self.outer, "fixeds"])
    }

    @Test func unmatchedEndGroup() {
        expectError([0xA4, 0x01], .unmatchedEndGroup(field: 20), path: [Self.outer])
        expectError([0xA3, 0x01, 0xAC, 0x01], .unmatchedEndGroup(field: 21), path: [Self.outer])
        expectError([0xA3, 0x01, 0x08, 0x01], .truncated, path: [Self.outer])
        expectError([0x22, 0x02, 0xA4, 0x01], .unmatchedEndGroup(field: 20), path: [Self.outer, "inner"])
    }

    @Test func errorDescriptionJoinsThePath() throws {
        let error = try #require(decodingError(Test_Outer.self, delimited([0x42], []) + delimited([0x42], delimited([0x0A], [0xFF]))))
        #expect(error.description == "test.Outer.items[1].name: string field is not valid UTF-8 (at byte 6)")
    }
}
