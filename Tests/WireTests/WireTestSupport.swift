import Foundation
import Testing
import Wire

/// Bytes produced by driving a `WireWriter` directly.
func written(capacity: Int = 64, _ write: (inout WireWriter) -> Void) -> [UInt8] {
    var buffer = [UInt8](repeating: 0, count: capacity)
    let count = buffer.withUnsafeMutableBytes { raw in
        var writer = WireWriter(buffer: raw)
        write(&writer)
        return writer.count
    }
    return Array(buffer[..<count])
}

/// The result of reading `bytes` with a `WireReader` positioned at their start.
func read<T>(_ bytes: [UInt8], _ body: (inout WireReader) throws(WireDecodingError) -> T) throws(WireDecodingError) -> T {
    let data = Data(bytes)
    var result: Result<T, WireDecodingError>!
    data.withUnsafeBytes { buffer in
        var reader = WireReader(source: data, buffer: buffer, options: .default)
        do throws(WireDecodingError) {
            result = .success(try body(&reader))
        } catch {
            result = .failure(error)
        }
    }
    return try result.get()
}

/// The error decoding `bytes` as `M` throws, or nil (recorded as an issue) when it decodes.
func decodingError<M: Message>(
    _ type: M.Type,
    _ bytes: [UInt8],
    options: DecodingOptions = .default,
    sourceLocation: SourceLocation = #_sourceLocation
) -> WireDecodingError? {
    do {
        let message = try M(serializedBytes: bytes, options: options)
        Issue.record("expected a decoding error, decoded \(message)", sourceLocation: sourceLocation)
        return nil
    } catch {
        return error
    }
}

/// `value` as a base-128 varint.
func varint(_ value: UInt64) -> [UInt8] {
    var value = value
    var bytes: [UInt8] = []
    while value >= 0x80 {
        bytes.append(UInt8(truncatingIfNeeded: value) | 0x80)
        value >>= 7
    }
    bytes.append(UInt8(value))
    return bytes
}

/// A length-delimited field: tag byte(s), length, body.
func delimited(_ tag: [UInt8], _ body: [UInt8]) -> [UInt8] {
    tag + varint(UInt64(body.count)) + body
}

