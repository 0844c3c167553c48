import Foundation
import Identity
import Testing

@Suite("Base64URL: RFC 4648 §5 without padding, one spelling per value")
struct Base64URLTests {
    @Test("RFC 4648 §10 vectors, in the URL alphabet without padding")
    func vectors() {
        let vectors = ["": "", "f": "Zg", "fo": "Zm8", "foo": "Zm9v", "foob": "Zm9vYg", "fooba": "Zm9vYmE", "foobar": "Zm9vYmFy"]
        for (plain, encoded) in vectors {
            #expect(Base64URL.encode(Data(plain.utf8)) == encoded)
            #expect(Base64URL.decode(encoded) == Data(plain.utf8))
        }
        #expect(Base64URL.encode([0xfb, 0xff]) == "-_8")
        #expect(Base64URL.decode("-_8") == Data([0xfb, 0xff]))
    }

    @Test("Padding, the standard alphabet's + and /, other characters and impossible lengths are refused")
    func refusals() {
        for text in ["Zg==", "+_8", "-/8", "Zm9v YmFy", "Z", "Zm9vY", "Zm9v\n"] {
            #expect(Base64URL.decode(text) == nil, "\(text)")
        }
    }
}
