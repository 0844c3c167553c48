public import Foundation

/// A protobuf message generated from `proto/`: a value type with a deterministic encoding
/// (fields in schema declaration order, map entries sorted by key, unknown fields last), a strict
/// bounded decoder, and the canonical proto3 JSON mapping.
public protocol Message: Sendable, Hashable, CustomDebugStringConvertible {
    /// An instance with every field at its default.
    init()
    /// Fully-qualified proto name, e.g. `medledger.v1.Block`.
    static var protoMessageName: String { get }
    /// Fields this schema does not know, preserved for re-encoding.
    var unknownFields: UnknownFields { get set }

    /// The encoded size; records nested message sizes in `cache` for `encode(to:cache:)`.
    func computeSize(into cache: inout SizeCache) -> Int
    /// Writes the fields; `cache` must come from `computeSize(into:)` on the same value.
    func encode(to writer: inout WireWriter, cache: inout SizeCache)
    /// Reads fields until the end of the current message, merging into `self`.
    mutating func decode(from reader: inout WireReader) throws(WireDecodingError)

    /// Writes the canonical proto3 JSON object.
    func writeJSON(to writer: inout JSONWriter)
    /// Reads fields from a proto3 JSON object (JSON names and proto names are both accepted).
    mutating func readJSON(from object: JSONObject, path: JSONPath) throws(JSONMappingError)
}

extension Message {
    /// The binary encoding.
    @inlinable
    public func serializedData() -> Data {
        var cache = SizeCache()
        let size = computeSize(into: &cache)
        guard size > 0 else { return Data() }
        let storage = malloc(size)!
        var writer = WireWriter(buffer: UnsafeMutableRawBufferPointer(start: storage, count: size))
        encode(to: &writer, cache: &cache)
        return Data(bytesNoCopy: storage, count: size, deallocator: .free)
    }

    /// The size of the binary encoding in bytes.
    public var serializedSize: Int {
        var cache = SizeCache()
        return computeSize(into: &cache)
    }

    /// Decodes the binary encoding; `bytes` fields of the result share `data`'s storage.
    @inlinable
    public init(serializedData data: Data, options: DecodingOptions = .default) throws(WireDecodingError) {
        guard data.count <= options.maxMessageSize else {
            throw WireDecodingError(
                .messageTooLarge(size: data.count, limit: options.maxMessageSize),
                path: [Self.protoMessageName],
                offset: 0
            )
        }
        var message = Self()
        var failure: WireDecodingError?
        data.withUnsafeBytes { buffer in
            var reader = WireReader(source: data, buffer: buffer, options: options)
            do throws(WireDecodingError) {
                try message.decode(from: &reader)
            } catch {
                failure = error.within(Self.protoMessageName)
            }
        }
        if let failure { throw failure }
        self = message
    }

    /// Decodes the binary encoding from any byte sequence (copied once).
    public init(serializedBytes bytes: some Sequence<UInt8>, options: DecodingOptions = .default) throws(WireDecodingError) {
        try self.init(serializedData: Data(bytes), options: options)
    }

    /// The canonical proto3 JSON text (compact, fields in declaration order, defaults omitted).
    public func jsonString() -> String {
        var writer = JSONWriter()
        writeJSON(to: &writer)
        return writer.text
    }

    /// Parses proto3 JSON text.
    public init(jsonString: String) throws(JSONMappingError) {
        let value = try JSONParser.parse(jsonString)
        guard case .object(let object) = value else {
            throw JSONMappingError(path: JSONPath(root: Self.protoMessageName), reason: "expected a JSON object")
        }
        var message = Self()
        try message.readJSON(from: object, path: JSONPath(root: Self.protoMessageName))
        self = message
    }

    public var debugDescription: String { "\(Self.protoMessageName) \(jsonString())" }
}
