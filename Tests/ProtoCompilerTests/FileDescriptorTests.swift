import Foundation
import MedLedgerTesting
import ProtoCompiler
import Testing

/// The descriptors the generator embeds for gRPC server reflection are byte-for-byte what
/// `protoc --descriptor_set_out` writes for the same file.
@Suite("File descriptors equal protoc's")
struct FileDescriptorTests {
    static let repositoryProtoRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().appending(path: "proto")

    @Test func everyFileOfTheSchemaEncodesAsProtocDoes() throws {
        let root = Self.repositoryProtoRoot.path
        let files = try FileManager.default.subpathsOfDirectory(atPath: root).filter { $0.hasSuffix(".proto") }.sorted()
        #expect(files.count >= 20)
        let models = try ProtoCompiler(importRoots: [root]).compile(files)
        for model in models {
            let expected = try Self.protocDescriptor(of: model.path, root: root)
            let equal = model.descriptor == expected
            #expect(equal, "\(model.path): \(Self.firstDifference(model.descriptor, expected))")
        }
    }

    @Test func everyFeatureTheCompilerAcceptsEncodesAsProtocDoes() throws {
        let root = FileManager.default.temporaryDirectory.appending(path: "descriptor-fixture-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        for (path, source) in Self.fixture {
            let url = root.appending(path: path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try source.write(to: url, atomically: true, encoding: .utf8)
        }
        let paths = Self.fixture.keys.sorted()
        let models = try ProtoCompiler(importRoots: [root.path]).compile(paths)
        for model in models {
            let expected = try Self.protocDescriptor(of: model.path, root: root.path)
            let equal = model.descriptor == expected
            #expect(equal, "\(model.path): \(Self.firstDifference(model.descriptor, expected))")
            #expect(model.descriptor.count > 40)
        }
        #expect(models.first { $0.path == "fixture/all.proto" }?.imports == ["fixture/base.proto", "fixture/public.proto"])
    }

    /// The one `FileDescriptorProto` in protoc's descriptor set for `path` (imports not included).
    static func protocDescriptor(of path: String, root: String) throws -> [UInt8] {
        let output = FileManager.default.temporaryDirectory.appending(path: "descriptor-\(UUID().uuidString).pb")
        defer { try? FileManager.default.removeItem(at: output) }
        let run = try runProcessBlocking(["protoc", "-I", root, "--descriptor_set_out=\(output.path)", path])
        guard run.status == 0 else { throw DescriptorTestFailure(description: "protoc \(path) exited \(run.status): \(run.standardError)") }
        let set = try [UInt8](Data(contentsOf: output))
        // FileDescriptorSet { repeated FileDescriptorProto file = 1; }: tag 0x0a, varint length, bytes.
        guard set.first == 0x0a else { throw DescriptorTestFailure(description: "unexpected descriptor set from protoc for \(path)") }
        var length = 0, shift = 0, index = 1
        while true {
            let byte = set[index]
            length |= Int(byte & 0x7f) << shift
            index += 1
            shift += 7
            if byte < 0x80 { break }
        }
        #expect(index + length == set.count, "protoc wrote more than one file for \(path)")
        return Array(set[index..<(index + length)])
    }

    static func firstDifference(_ ours: [UInt8], _ theirs: [UInt8]) -> String {
        guard let index = zip(ours, theirs).enumerated().first(where: { $0.element.0 != $0.element.1 })?.offset else {
            return ours.count == theirs.count ? "equal" : "lengths \(ours.count) vs protoc's \(theirs.count)"
        }
        let context = { (bytes: [UInt8]) in String(decoding: bytes[max(0, index - 24)..<min(bytes.count, index + 24)].map { $0 >= 32 && $0 < 127 ? $0 : 46 }, as: UTF8.self) }
        return "first difference at byte \(index) of \(ours.count) (protoc: \(theirs.count)): ours …\(context(ours))… protoc's …\(context(theirs))…"
    }

    static let fixture: [String: String] = [
        "fixture/base.proto": """
            syntax = "proto3";
            package fixture.base;
            message Shared { string id = 1; }
            enum Level { LEVEL_UNSPECIFIED = 0; LEVEL_HIGH = 2; }
            """,
        "fixture/public.proto": """
            syntax = "proto3";
            package fixture.pub;
            import public "fixture/base.proto";
            message Exported { fixture.base.Shared shared = 1; }
            """,
        "fixture/all.proto": """
            syntax = "proto3";
            // Every construct the generator accepts, with built-in options in every place.
            package fixture.all;
            import "fixture/base.proto";
            import public "fixture/public.proto";
            option java_package = "org.example.fixture";
            option optimize_for = CODE_SIZE;
            option java_multiple_files = true;
            option go_package = "example.org/fixture";
            option deprecated = true;
            option objc_class_prefix = "FX";
            option csharp_namespace = "Fixture.All";
            option cc_enable_arenas = true;

            message Outer {
              option deprecated = true;
              message Early { int32 x = 1; }
              map<string, Early> early_by_name = 1;
              enum Kind {
                option allow_alias = true;
                KIND_UNSPECIFIED = 0;
                KIND_A = 1;
                KIND_ALIAS = 1 [deprecated = true];
                KIND_NEGATIVE = -3;
                reserved 10 to 20, 30;
                reserved "KIND_OLD";
              }
              oneof choice {
                string text = 2;
                Early early = 3 [deprecated = true];
                fixture.base.Shared shared = 4;
              }
              optional int64 maybe = 5 [jstype = JS_STRING];
              optional Early maybe_early = 6;
              oneof _tagged { string tag_a = 7; }
              optional string tagged = 8;
              repeated int32 unpacked = 9 [packed = false];
              repeated sint64 packed_explicitly = 10 [packed = true];
              repeated Kind kinds = 11;
              map<int32, Kind> kind_by_number = 12;
              map<uint64, bytes> blob_by_id = 13 [deprecated = true];
              message Late {
                map<bool, .fixture.base.Level> levels = 1;
                Outer.Early early = 2;
              }
              Late late = 14 [json_name = "lateBloomer"];
              double d = 15; float f = 16; uint32 u32 = 17; fixed32 f32 = 18; fixed64 f64 = 19;
              sfixed32 sf32 = 20; sfixed64 sf64 = 21; sint32 s32 = 22; bool flag = 23; bytes raw = 24;
              string ctype_cord = 25 [ctype = CORD];
              fixture.pub.Exported exported = 26;
              map<string, string> labels_2_x = 27;
              reserved 100, 200 to 300, 1000 to max;
              reserved "gone", "removed";
            }

            enum Top {
              TOP_UNSPECIFIED = 0;
              TOP_ONE = 1 [deprecated = true];
            }

            message Empty {}

            service Things {
              option deprecated = true;
              rpc Get(Outer) returns (Empty);
              rpc Watch(Empty) returns (stream Outer) { option deprecated = true; }
              rpc Upload(stream Outer.Early) returns (.fixture.all.Empty) { option idempotency_level = IDEMPOTENT; }
              rpc Chat(stream Empty) returns (stream fixture.base.Shared) {}
            }
            """,
    ]
}

struct DescriptorTestFailure: Error, CustomStringConvertible {
    let description: String
}
