import Testing
import Wire

/// `UTF8Validation` must accept exactly what the standard library's validating initializer accepts.
@Suite struct UTF8ValidationTests {
    static func ours(_ bytes: [UInt8]) -> Bool { bytes.withUnsafeBufferPointer { UTF8Validation.isValid($0) } }
    static func standard(_ bytes: [UInt8]) -> Bool { String(validating: bytes, as: UTF8.self) != nil }

    @Test(arguments: [
        [UInt8](), Array("plain ascii, longer than eight bytes".utf8), Array("héllo wörld 🩺💉🏥".utf8),
        [0xC0, 0x80], [0xC1, 0xBF], [0x80], [0xBF], [0xE0, 0x80, 0x80], [0xE0, 0x9F, 0xBF], [0xED, 0xA0, 0x80],
        [0xED, 0x9F, 0xBF], [0xF0, 0x8F, 0xBF, 0xBF], [0xF4, 0x90, 0x80, 0x80], [0xF4, 0x8F, 0xBF, 0xBF],
        [0xF5, 0x80, 0x80, 0x80], [0xFF], [0xE2, 0x82], [0x41, 0x41, 0x41, 0x41, 0x41, 0x41, 0x41, 0xE2, 0x82, 0xAC],
    ])
    func agreesWithTheStandardLibraryOnKnownCases(_ bytes: [UInt8]) {
        #expect(Self.ours(bytes) == Self.standard(bytes), "\(bytes)")
    }

    @Test func agreesWithTheStandardLibraryOnRandomInput() {
        var generator = SystemRandomNumberGenerator()
        let alphabet: [UInt8] = [0x00, 0x41, 0x7F, 0x80, 0x9F, 0xA0, 0xBF, 0xC0, 0xC2, 0xDF, 0xE0, 0xED, 0xEF, 0xF0, 0xF4, 0xF5, 0xFF]
        var disagreements: [[UInt8]] = []
        for _ in 0..<50_000 {
            let length = Int.random(in: 0...12, using: &generator)
            let bytes = (0..<length).map { _ in
                Bool.random(using: &generator) ? alphabet.randomElement(using: &generator)! : UInt8.random(in: 0...255, using: &generator)
            }
            if Self.ours(bytes) != Self.standard(bytes) { disagreements.append(bytes) }
        }
        #expect(disagreements.isEmpty, "first: \(disagreements.prefix(3))")
    }
}
