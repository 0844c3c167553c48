import Foundation
import ProtoCompiler
import Testing

/// Smoke test over the real-world protos bundled with protoc (Debian's protobuf-compiler, which
/// .ci/setup installs): without them the tests fail, saying so, rather than skip in silence.
@Suite struct WellKnownProtoTests {
    static let includeRoot = "/usr/include"
    static let isInstalled = FileManager.default.fileExists(atPath: includeRoot + "/google/protobuf/timestamp.proto")

    static func requireInstalled() throws {
        try #require(isInstalled, "\(includeRoot)/google/protobuf/*.proto are missing: install protobuf-compiler (bash .ci/setup)")
    }

    @Test(arguments: [
        "google/protobuf/any.proto", "google/protobuf/api.proto", "google/protobuf/duration.proto",
        "google/protobuf/empty.proto", "google/protobuf/field_mask.proto", "google/protobuf/source_context.proto",
        "google/protobuf/struct.proto", "google/protobuf/timestamp.proto", "google/protobuf/type.proto",
        "google/protobuf/wrappers.proto",
    ])
    func proto3WellKnownTypesCompile(path: String) throws {
        try Self.requireInstalled()
        let models = try ProtoCompiler(importRoots: [Self.includeRoot]).compile([path])
        #expect(models[0].package == "google.protobuf")
        #expect(!models[0].messages.isEmpty)
    }

    @Test func wellKnownModelsLookRight() throws {
        try Self.requireInstalled()
        let models = try ProtoCompiler(importRoots: [Self.includeRoot]).compile([
            "google/protobuf/timestamp.proto", "google/protobuf/struct.proto", "google/protobuf/type.proto",
        ])
        let timestamp = models[0].messages[0]
        #expect(timestamp.swiftFullName == "Google_Protobuf_Timestamp")
        #expect(timestamp.fields.map(\.swiftName) == ["seconds", "nanos"])
        #expect(!timestamp.comments.isEmpty)

        let structModel = models[1]
        let value = try #require(structModel.messages.first { $0.fullName == "google.protobuf.Value" })
        #expect(value.oneofs.map(\.swiftTypeName) == ["OneOf_Kind"])
        // Value → Struct → map<string, Value>: the map's heap storage already breaks the cycle.
        #expect(value.fields.first { $0.protoName == "struct_value" }?.needsIndirection == false)
        let fieldsMap = structModel.messages.first { $0.fullName == "google.protobuf.Struct" }?.fields.first
        #expect(fieldsMap?.type == .map(key: .string, value: .message(TypeReference(fullName: "google.protobuf.Value", swiftFullName: "Google_Protobuf_Value"))))
        #expect(structModel.enums.first?.values.map(\.swiftName) == ["nullValue"])

        let typeFile = models[2]
        let field = try #require(typeFile.messages.first { $0.fullName == "google.protobuf.Field" })
        #expect(field.nestedEnums.map(\.swiftName) == ["Kind", "Cardinality"])
        #expect(field.nestedEnums[0].values.first?.swiftName == "typeUnknown")
    }

    @Test func descriptorProtoIsRejectedAsProto2() throws {
        try Self.requireInstalled()
        do {
            _ = try ProtoCompiler(importRoots: [Self.includeRoot]).compile(["google/protobuf/descriptor.proto"])
            Issue.record("descriptor.proto is proto2 and must be rejected")
        } catch {
            #expect(error.file == "google/protobuf/descriptor.proto")
            #expect(error.message == "only proto3 is supported, but this file declares syntax \"proto2\"")
        }
    }
}
