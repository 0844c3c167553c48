import NIOCore
import Schema
@testable import Server
import Testing
import Wire

/// The request size guard's framing alone: messages cut across DATA frames anywhere, several in
/// one frame, an oversized one between normal ones.
@Suite("RequestSizeLimiter passes messages up to the limit and replaces larger ones by a marker")
struct RequestSizeLimiterTests {
    static func framed(_ payload: [UInt8]) -> [UInt8] {
        [0] + withUnsafeBytes(of: UInt32(payload.count).bigEndian) { Array($0) } + payload
    }

    /// Feeds `stream` to a limiter in pieces of `size` bytes and returns what it passed on.
    static func filter(_ stream: [UInt8], limit: Int, pieces size: Int) -> [UInt8] {
        var limiter = RequestSizeLimiter(limit: limit)
        var output: [UInt8] = []
        for start in stride(from: 0, to: stream.count, by: size) {
            let piece = limiter.filter(ByteBuffer(bytes: stream[start..<min(start + size, stream.count)]))
            output += piece.getBytes(at: piece.readerIndex, length: piece.readableBytes) ?? []
        }
        return output
    }

    @Test(arguments: [1, 2, 3, 5, 7, 64, 10_000])
    func messagesUpToTheLimitPassUnchangedHoweverTheyAreCut(pieceSize: Int) {
        let stream = Self.framed(Array(repeating: 1, count: 100)) + Self.framed([]) + Self.framed(Array(0...99))
        #expect(Self.filter(stream, limit: 100, pieces: pieceSize) == stream)
    }

    @Test(arguments: [1, 4, 6, 1000])
    func anOversizedMessageBecomesTheMarkerAndTheNextOnePasses(pieceSize: Int) {
        let small = Self.framed([7, 7, 7])
        let stream = small + Self.framed(Array(repeating: 9, count: 101)) + small
        let marker = Self.framed(OversizedRequest.marker(declaredLength: 101))
        #expect(Self.filter(stream, limit: 100, pieces: pieceSize) == small + marker + small)
        let declared = OversizedRequest.marker(declaredLength: 101).withUnsafeBytes { OversizedRequest.declaredLength(inMarker: $0) }
        #expect(declared == 101)
    }

    @Test func noProtobufMessageIsTakenForTheMarker() {
        // A real message never starts with a zero byte (field number 0 does not exist).
        var request = Medledger_V1_StatRequest()
        request.cid = "\u{0}medledger:oversized:"
        let message = Array(request.serializedData())
        #expect(message.withUnsafeBytes { OversizedRequest.declaredLength(inMarker: $0) } == nil)
    }
}
