/// A minimal protobuf writer for the descriptors the generator embeds.
///
/// The generator imports nothing of the runtime (`Wire` included), so it carries these few lines
/// of encoding itself; the bytes are checked against `protoc --descriptor_set_out` by the tests.
struct ProtoBytes {
    private(set) var bytes: [UInt8] = []

    private mutating func varint(_ value: UInt64) {
        var rest = value
        while rest >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: rest) | 0x80)
            rest >>= 7
        }
        bytes.append(UInt8(rest))
    }

    private mutating func tag(_ field: Int, wireType: UInt64) {
        varint(UInt64(field) << 3 | wireType)
    }

    /// A varint field (int32 values are sign-extended to 64 bits, as protobuf requires).
    mutating func int(_ field: Int, _ value: Int) {
        tag(field, wireType: 0)
        varint(UInt64(bitPattern: Int64(value)))
    }

    mutating func bool(_ field: Int, _ value: Bool) {
        int(field, value ? 1 : 0)
    }

    mutating func string(_ field: Int, _ value: String) {
        bytes(field, Array(value.utf8))
    }

    mutating func bytes(_ field: Int, _ value: [UInt8]) {
        tag(field, wireType: 2)
        varint(UInt64(value.count))
        bytes.append(contentsOf: value)
    }

    /// A length-delimited sub-message written by `body`.
    mutating func message(_ field: Int, _ body: (inout ProtoBytes) throws(CompileError) -> Void) throws(CompileError) {
        var nested = ProtoBytes()
        try body(&nested)
        bytes(field, nested.bytes)
    }
}
