import Foundation
import Testing

/// `proto/` is standard proto3: the reference compiler must accept every file.
@Test func protocCompilesEveryProtoFile() throws {
    let files = try Oracle.allProtoFiles()
    #expect(files.count >= 10)
    let descriptorSet = try Oracle.temporaryDirectory("protoc").appending(path: "all.pb")
    _ = try Oracle.require("protoc", ["-I", Oracle.protoRoot.path, "--descriptor_set_out=\(descriptorSet.path)"] + files)
    let size = try FileManager.default.attributesOfItem(atPath: descriptorSet.path)[.size] as? Int ?? 0
    #expect(size > 1000)
}
