import Foundation
import Schema
import Testing
import Wire

/// The descriptors compiled into `Schema` (what reflection serves) are protoc's, for every file.
@Test func theSchemasFileDescriptorsAreProtocsForEveryProtoFile() throws {
    let files = try Oracle.allProtoFiles()
    #expect(FileDescriptorRegistry.files.map(\.name).sorted() == files)
    let directory = try Oracle.temporaryDirectory("descriptors")
    defer { try? FileManager.default.removeItem(at: directory) }
    let set = directory.appending(path: "all.pb")
    _ = try Oracle.require("protoc", ["-I", Oracle.protoRoot.path, "--descriptor_set_out=\(set.path)"] + files)
    // Python's protobuf splits protoc's FileDescriptorSet into its files, so our parse of it is not trusted.
    let split = try Oracle.require("python3", ["-c", """
        import sys, base64
        from google.protobuf import descriptor_pb2
        s = descriptor_pb2.FileDescriptorSet(); s.ParseFromString(open(sys.argv[1], 'rb').read())
        for f in s.file: print(f.name, base64.b64encode(f.SerializeToString(deterministic=True)).decode())
        """, set.path])
    let protocs = Dictionary(uniqueKeysWithValues: String(decoding: split, as: UTF8.self).split(separator: "\n").map { line in
        let parts = line.split(separator: " ")
        return (String(parts[0]), Data(base64Encoded: String(parts[1])) ?? Data())
    })
    for file in FileDescriptorRegistry.files {
        #expect(file.serialized == protocs[file.name], "\(file.name)")
        #expect(!file.symbols.isEmpty || file.name.hasSuffix("unixfs.proto"), "\(file.name) defines nothing?")
    }
    let gateway = try #require(FileDescriptorRegistry.files.first { $0.name == "medledger/v1/gateway.proto" })
    #expect(gateway.symbols.contains("medledger.v1.Gateway"))
    #expect(gateway.symbols.contains("medledger.v1.Gateway.Submit"))
}
