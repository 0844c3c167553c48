import ContentStore
import Foundation
import Testing

@Suite("Multiformats: varint, multibase, multihash, CID")
struct FormatTests {
    // From the unsigned-varint spec (github.com/multiformats/unsigned-varint).
    @Test(arguments: [
        (UInt64(1), "01"), (127, "7f"), (128, "8001"), (255, "ff01"), (300, "ac02"), (16384, "808001"),
        (UInt64(1) << 63 - 1, "ffffffffffffffff7f"),
    ])
    func varintVectors(value: UInt64, encoded: String) throws {
        #expect(Data(Varint.encode(value)) == hex(encoded))
        var index = 0
        #expect(try Varint.read(Array(hex(encoded)), at: &index) == value)
        #expect(index == hex(encoded).count)
    }

    @Test(arguments: ["80", "ff", "8000", "ffffffffffffffffff01"])
    func varintRejectsTruncatedNonMinimalAndOverlong(encoded: String) {
        var index = 0
        #expect(throws: ContentError.self) { try Varint.read(Array(hex(encoded)), at: &index) }
    }

    // RFC 4648 §10 (lower case, unpadded); base58 with leading zero bytes (Bitcoin wiki: 0x287fb4cd → 233QC4).
    @Test func baseEncodings() throws {
        let rfc = ["": "", "f": "my", "fo": "mzxq", "foo": "mzxw6", "foob": "mzxw6yq", "fooba": "mzxw6ytb", "foobar": "mzxw6ytboi"]
        for (plain, encoded) in rfc {
            #expect(Base32.encode(Array(plain.utf8)) == encoded)
            #expect(Base32.decode(Substring(encoded)) == Array(plain.utf8))
        }
        #expect(Base58.encode(Array("hello world".utf8)) == "StV1DL6CwTryKyV")
        #expect(Base58.encode([0, 0, 0x28, 0x7f, 0xb4, 0xcd]) == "11233QC4")
        #expect(Base58.decode("11233QC4") == [0, 0, 0x28, 0x7f, 0xb4, 0xcd])
        #expect(Base58.decode("0OIl") == nil)
        #expect(Base32.decode("mzxw6ytbo1") == nil)
    }

    @Test func cidV0AndItsV1Form() throws {
        // The CID spec's example pair, and Kubo's `ipfs cid base32` of it.
        let v0 = try CID("QmdfTbBqBPQ7VNxZEYEj14VmRuZBkqFbiwReogJgS1zR1n")
        #expect(v0.version == 0)
        #expect(v0.codec == 0x70)
        #expect(v0.description == "QmdfTbBqBPQ7VNxZEYEj14VmRuZBkqFbiwReogJgS1zR1n")
        #expect(v0.v1.description == "bafybeihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku")
        let v1 = try CID("bafybeihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku")
        #expect(v1 == v0.v1)
        #expect(try CID(v1.base58btcDescription) == v1)
        #expect(v1.base58btcDescription.hasPrefix("z"))
        #expect(try CID(bytes: v1.bytes) == v1)
        // The same CID in the other multibases Kubo reads: base32 upper case, base16 either case
        // (its hash is SHA-256 of the empty string, e3b0c442…).
        #expect(try CID("BAFYBEIHDWDCEFGH4DQKJV67UZCMW7OJEE6XEDZDETOJUZJEVTENXQUVYKU") == v1)
        #expect(try CID("f01701220e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855") == v1)
        #expect(try CID("F01701220E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855") == v1)
    }

    @Test func rawCIDOfEmptyBytes() {
        // Kubo t0040: `ipfs add --raw-leaves` of an empty file.
        #expect(CID.of(Data(), version: 1, codec: .raw).description == "bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku")
    }

    @Test(arguments: [
        "", "Qm", "QmdfTbBqBPQ7VNxZEYEj14VmRuZBkqFbiwReogJgS1zR1", "QmdfTbBqBPQ7VNxZEYEj14VmRuZBkqFbiwReogJgS1zR10",
        "bafybeihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyk", "bafybeihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvykuaa",
        "BAFYBEIHDWDCEFGH4DQKJV67UZCMW7OJEE6XEDZDETOJUZJEVTENXQUVYK", "BAFYbeihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku", "mAXASIB",
        "f0170122", "f01701220E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855", "f01701220e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b8g5", "b", "bafy!", "z", "zQmdfTbBqBPQ7VNxZEYEj14VmRuZBkqFbiwReogJgS1zR1n",
        "bciqdxkfxj7rywfbnoaqf2dhjgzhwsgebf4n3exbnsfrjcf7q2hqz2ha",
    ])
    func badCIDsAreRejectedWithTheirText(text: String) {
        do {
            _ = try CID(text)
            Issue.record("\(text) parsed")
        } catch {
            #expect("\(error)".contains("invalid CID") || "\(error)".contains("multihash"))
        }
    }

    @Test func errorsSayWhatIsWrong() {
        #expect(throws: ContentError.invalidCID("Qmbad", reason: "a CIDv0 is 46 characters of base58btc, not 5")) { try CID("Qmbad") }
        #expect(throws: ContentError.invalidCID("x123", reason: "unsupported multibase prefix 'x' (expected Qm…, or multibase b, B, z, f or F)")) { try CID("x123") }
        #expect(throws: ContentError.invalidChunker("size-0")) { try Chunker(spec: "size-0") }
        #expect(throws: ContentError.invalidChunker("rabin")) { try Chunker(spec: "rabin") }
        #expect(throws: ContentError.invalidOptions("unknown CID version 9 (expected 0 or 1)")) { try ImportOptions(cidVersion: 9) }
    }

    @Test func dagPBSortsLinksByNameAndWritesLinksFirst() throws {
        let target = try CID("QmdfTbBqBPQ7VNxZEYEj14VmRuZBkqFbiwReogJgS1zR1n")
        let node = DagPBNode(
            links: [DagPBLink(cid: target, name: "b", tsize: 1), DagPBLink(cid: target, name: "a", tsize: 2)],
            data: Data([8, 1])
        )
        let encoded = node.encoded()
        #expect(encoded.first == 0x12)
        #expect(encoded.suffix(4) == Data([0x0a, 0x02, 0x08, 0x01]))
        let decoded = try DagPBNode(decoding: encoded, cid: target)
        #expect(decoded.links.map(\.name) == ["a", "b"])
        #expect(decoded.links.map(\.tsize) == [2, 1])
    }

    @Test func emptyDirectoryIsKubosEmptyDirectory() {
        let block = DagPBNode(data: UnixFSNode(kind: .directory).encoded()).encoded()
        #expect(CID.of(block, version: 0, codec: .dagPB).description == "QmUNLLsPACCz1vLxQVkXqqLX5R1X345qqfHbsf67hvA3Nn")
    }

    @Test func malformedDagPBIsAnErrorNamingTheBlock() throws {
        let cid = CID.of(Data([0x12, 0x05]), version: 0, codec: .dagPB)
        #expect(throws: ContentError.self) { try DagPBNode(decoding: Data([0x12, 0x05]), cid: cid) }
        do {
            _ = try DagNode(block: Data([0x0a, 0x01, 0xff]), cid: cid)
            Issue.record("garbage UnixFS decoded")
        } catch {
            #expect("\(error)".contains(cid.description))
        }
    }
}
