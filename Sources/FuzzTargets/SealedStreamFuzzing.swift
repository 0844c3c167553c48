internal import Crypto
internal import Foundation
internal import RecordCrypto

/// Fuzzing of the sealed-stream reader: a header and segments, opened with a fixed key.
enum SealedStreamFuzzing {
    static let key = SymmetricKey(data: Data(repeating: 7, count: 32))

    static func open(_ data: Data) async {
        _ = try? SealedStream(header: data.prefix(SealedStream.headerSize))
        let reader = SealedStreamReader(key: key, sealedLength: UInt64(data.count)) { offset, length in
            let start = Int(min(offset, UInt64(data.count)))
            return data.subdata(in: start..<Int(min(UInt64(start) + length, UInt64(data.count))))
        }
        try? await reader.plaintext { _ in }
    }
}
