internal import CertificateAuthority
internal import ContentStore
internal import Crypto
public import Foundation
internal import Identity
internal import RecordCrypto
internal import Schema
internal import SwiftASN1
internal import X509

extension FuzzTarget {
    /// Valid inputs to start fuzzing from, made by MedLedger's own encoders: `Fuzz/run` writes
    /// them into an empty corpus directory.
    public func seeds() throws -> [Data] {
        switch self {
        case .wire:
            let field1 = Data([0x0A, 0x03]) + Data("ehr".utf8)
            let varints = Data([0x08, 0x96, 0x01, 0x10, 0x01, 0x18, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F])
            return (0..<WireFuzzing.types.count).map { Data([UInt8($0 % 256)]) + ($0 % 2 == 0 ? field1 : varints) }
        case .wireJSON:
            return (0..<WireFuzzing.types.count).map { Data([UInt8($0 % 256)]) + Data(#"{"channelId":"ehr","number":"7"}"#.utf8) }
        case .cid:
            let block = Data("hello".utf8)
            return [
                Data(CID.of(block, version: 0, codec: .dagPB).description.utf8),
                Data(CID.of(block, version: 1, codec: .raw).description.utf8),
                Data(CID.of(block, version: 1, codec: .dagPB).bytes),
            ]
        case .dagPB:
            return Self.dagNodes().map { $0.encoded() }
        case .unixFS:
            return [
                UnixFSNode(kind: .file, data: Data("chunk".utf8), filesize: 5).encoded(),
                UnixFSNode(kind: .file, filesize: 10, blocksizes: [5, 5]).encoded(),
                UnixFSNode(kind: .directory).encoded(),
                UnixFSNode(kind: .hamtShard, data: Data([0xFF]), hashType: 0x22, fanout: 256).encoded(),
            ]
        case .car:
            let nodes = Self.dagNodes()
            let cids = nodes.map { CID.of($0.encoded(), version: 1, codec: .dagPB) }
            var car = CARWriter.header(roots: [cids[0]])
            for (cid, node) in zip(cids, nodes) { car += CARWriter.section(cid, node.encoded()) }
            return [car, CARWriter.header(roots: cids), CARWriter.header(roots: [])]
        case .pemCertificate:
            return try Self.certificates().map { Data(try $0.serializeAsPEM().pemString.utf8) }
        case .derCertificate:
            return try Self.certificates().map { Data(try $0.derBytes) }
        case .csr:
            return try ["alice", "node.example.org", "x"].map { Data(try IdentityFolder.makeCSR(commonName: $0).csr) }
        case .jsonDocument, .jsonValue:
            return [#"{"owner":"alice","value":1}"#, #"[1, -2.5e3, "\u00e9", true, null, {"a": []}]"#, #""text""#].map { Data($0.utf8) }
        case .richQuery:
            return [
                #"{"selector":{"owner":"alice"}}"#, #"{"selector":{"value":{"$gt":1,"$lte":10}}}"#,
                #"{"selector":{"$or":[{"owner":"a"},{"owner":{"$in":["b","c"]}}]}}"#,
            ].map { Data($0.utf8) }
        case .proto3:
            return [
                "syntax = \"proto3\";\npackage a.v1;\nimport \"b.proto\";\noption go_package = \"x\";\nmessage M { int32 x = 1; repeated string s = 2 [packed = false]; map<string, M> m = 3; oneof o { bytes b = 4; } optional bool f = 5; reserved 9 to 11; }\n",
                "syntax = \"proto3\";\nenum E { E_ZERO = 0; E_ONE = 1 [deprecated = true]; }\nservice S { rpc Call(stream M) returns (stream M) { option deprecated = true; } }\nmessage M {}\n",
                "syntax = \"proto3\"; message Outer { message Inner { .Outer.Inner self = 1; } }",
            ].map { Data($0.utf8) }
        case .sealedStream:
            return try [0, 100, 70_000].map { length in
                var writer = SealingWriter(key: SealedStreamFuzzing.key, format: try SealedStream(segmentSize: 4096))
                var sealed = try writer.write(Data(repeating: 0x41, count: length))
                sealed += try writer.finish().sealed
                return sealed
            }
        }
    }

    private static func dagNodes() -> [DagPBNode] {
        let leaf = DagPBNode(data: UnixFSNode(kind: .file, data: Data("leaf".utf8), filesize: 4).encoded())
        let leafCID = CID.of(leaf.encoded(), version: 1, codec: .dagPB)
        let parent = DagPBNode(
            links: [DagPBLink(cid: leafCID, name: "", tsize: 10), DagPBLink(cid: leafCID, name: "b", tsize: 10)],
            data: UnixFSNode(kind: .file, filesize: 8, blocksizes: [4, 4]).encoded())
        let directory = DagPBNode(links: [DagPBLink(cid: leafCID, name: "file.txt", tsize: 10)], data: UnixFSNode(kind: .directory).encoded())
        return [leaf, parent, directory]
    }

    private static func certificates() throws -> [Certificate] {
        let authority = try CertificateAuthority.create(mspID: "FuzzMSP", name: "Fuzz CA")
        let key = P256.Signing.PrivateKey()
        let issued = try authority.issue(
            publicKey: .init(key.publicKey), profile: .enrollment(enrollmentID: "fuzz", role: .clinician, attributes: ["dept": "er"]),
            validity: 3600)
        return [authority.rootCertificate, issued]
    }
}
