import Foundation
import Testing
import Wire

/// The scalar encodings against known byte vectors, and the size functions at every boundary.
@Suite struct VarintTests {
    @Test(arguments: [
        (0, [0x00]),
        (1, [0x01]),
        (127, [0x7F]),
        (128, [0x80, 0x01]),
        (150, [0x96, 0x01]),
        (300, [0xAC, 0x02]),
        (16383, [0xFF, 0x7F]),
        (16384, [0x80, 0x80, 0x01]),
        (UInt64(Int64.max), [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F]),
        (UInt64.max, [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01]),
    ] as [(UInt64, [UInt8])])
    func varintEncodesAndDecodes(value: UInt64, bytes: [UInt8]) throws {
        #expect(written { $0.writeVarint(value) } == bytes)
        #expect(try read(bytes) { reader throws(WireDecodingError) in try reader.readVarint() } == value)
        #expect(WireFormat.varintSize(value) == bytes.count)
    }

    @Test func negativeInt32IsSignExtendedToTenBytes() {
        let minusOne: [UInt8] = [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01]
        #expect(written { $0.writeInt32(-1) } == minusOne)
        #expect(WireFormat.int32Size(-1) == 10)
        #expect(written { $0.writeInt32(Int32.min) } == [0x80, 0x80, 0x80, 0x80, 0xF8, 0xFF, 0xFF, 0xFF, 0xFF, 0x01])
        #expect(WireFormat.int32Size(Int32.max) == 5)
        #expect(written { $0.writeVarint(-1 as Int) } == minusOne)
        #expect(WireFormat.varintSize(-1 as Int) == 10)
    }

    @Test func varintSizeAtEverySevenBitBoundary() {
        #expect(WireFormat.varintSize(UInt64(0)) == 1)
        for bytes in 1...9 {
            let firstNeedingMore = UInt64(1) << (7 * bytes)
            #expect(WireFormat.varintSize(firstNeedingMore - 1) == bytes, "2^\(7 * bytes) - 1")
            #expect(WireFormat.varintSize(firstNeedingMore) == bytes + 1, "2^\(7 * bytes)")
            #expect(written { $0.writeVarint(firstNeedingMore) }.count == bytes + 1)
        }
        #expect(WireFormat.varintSize(UInt64.max) == 10)
        #expect(WireFormat.lengthDelimitedSize(127) == 128)
        #expect(WireFormat.lengthDelimitedSize(128) == 130)
    }

    @Test(arguments: [
        (0, 0), (-1, 1), (1, 2), (-2, 3), (2, 4),
        (Int32.max, 4_294_967_294), (Int32.min, 4_294_967_295),
    ] as [(Int32, UInt32)])
    func zigZag32(value: Int32, encoded: UInt32) {
        #expect(WireFormat.zigZag(value) == encoded)
        #expect(WireFormat.unZigZag(encoded) == value)
    }

    @Test(arguments: [
        (0, 0), (-1, 1), (1, 2), (-2, 3),
        (Int64(Int32.max), 4_294_967_294), (Int64.max, UInt64.max - 1), (Int64.min, UInt64.max),
    ] as [(Int64, UInt64)])
    func zigZag64(value: Int64, encoded: UInt64) {
        #expect(WireFormat.zigZag(value) == encoded)
        #expect(WireFormat.unZigZag(encoded) == value)
    }

    @Test func fixedWidthValuesAreLittleEndian() throws {
        #expect(written { $0.writeFixed32(0x0102_0304) } == [0x04, 0x03, 0x02, 0x01])
        #expect(written { $0.writeFixed64(0x0102_0304_0506_0708) } == [0x08, 0x07, 0x06, 0x05, 0x04, 0x03, 0x02, 0x01])
        #expect(written { $0.writeFixed32(Float(1).bitPattern) } == [0x00, 0x00, 0x80, 0x3F])
        #expect(written { $0.writeFixed64(Double(-2).bitPattern) } == [0, 0, 0, 0, 0, 0, 0x00, 0xC0])

        // Tag 0x0D = field 1, fixed32; 0x09 = field 1, fixed64.
        let fixed32 = try read([0x0D, 0x04, 0x03, 0x02, 0x01]) { reader throws(WireDecodingError) in
            try reader.decodeFixed32(try reader.nextTag()!, field: "f")
        }
        #expect(fixed32 == 0x0102_0304)
        let sfixed64 = try read([0x09, 0xFE, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF]) { reader throws(WireDecodingError) in
            try reader.decodeSFixed64(try reader.nextTag()!, field: "f")
        }
        #expect(sfixed64 == -2)
    }

    @Test func lengthPrefixedValuesCarryTheirByteCount() {
        #expect(written { $0.writeDelimited("héllo") } == [0x06, 0x68, 0xC3, 0xA9, 0x6C, 0x6C, 0x6F])
        #expect(written { $0.writeDelimited(Data([1, 2, 3])) } == [0x03, 1, 2, 3])
        #expect(written { $0.writeDelimited(Data()) } == [0x00])
    }

    @Test func tagRawValueCombinesNumberAndWireType() {
        #expect(FieldTag(number: 1, wireType: .varint).rawValue == 0x08)
        #expect(FieldTag(number: 2, wireType: .lengthDelimited).rawValue == 0x12)
        #expect(FieldTag(number: WireFormat.maxFieldNumber, wireType: .fixed32).rawValue == 0xFFFF_FFFD)
    }
}
