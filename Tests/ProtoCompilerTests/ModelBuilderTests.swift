import ProtoCompiler
import Testing

@Suite struct ModelBuilderTests {
    @Test func modelsALedgerFile() throws {
        let model = try ProtoSources.compile("""
            syntax = "proto3";
            package medledger.v1;

            // A block of transactions.
            message Block {
              // Header fields.
              message Header {
                uint64 height = 1;
                bytes previous_hash = 2 [json_name = "prevHash"];
              }
              Header header = 1;
              repeated int64 amounts = 2;
              repeated sint32 unpacked = 3 [packed = false];
              repeated string notes = 4;
              repeated TxValidationCode codes = 5;
              map<string, Header> headers_by_id = 6;
              optional string memo = 7;
              oneof payload {
                // Plain text.
                string text = 8;
                Header nested = 9;
              }
              TxValidationCode code = 10;
            }

            enum TxValidationCode {
              TX_VALIDATION_CODE_VALID = 0;
              TX_VALIDATION_CODE_BAD_SIGNATURE = 1;
            }
            """)
        #expect(model.path == "test.proto")
        #expect(model.package == "medledger.v1")
        let block = model.messages[0]
        #expect(block.fullName == "medledger.v1.Block")
        #expect(block.swiftName == "Medledger_V1_Block")
        #expect(block.swiftFullName == "Medledger_V1_Block")
        #expect(block.comments == ["A block of transactions."])
        #expect(block.nestedMessages.map(\.swiftName) == ["Header"])
        #expect(block.nestedMessages[0].swiftFullName == "Medledger_V1_Block.Header")
        #expect(block.nestedMessages[0].comments == ["Header fields."])

        let header = block.nestedMessages[0].fields[1]
        #expect(header.swiftName == "previousHash")
        #expect(header.jsonName == "prevHash")

        let fields = block.fields
        #expect(fields.map(\.protoName) == ["header", "amounts", "unpacked", "notes", "codes", "headers_by_id", "memo", "text", "nested", "code"])
        #expect(fields.map(\.swiftName) == ["header", "amounts", "unpacked", "notes", "codes", "headersByID", "memo", "text", "nested", "code"])
        #expect(fields.map(\.jsonName)[5] == "headersById")
        #expect(fields.map(\.cardinality) == [.singular, .repeated, .repeated, .repeated, .repeated, .repeated, .optional, .singular, .singular, .singular])
        #expect(fields.map(\.isPacked) == [false, true, false, false, true, false, false, false, false, false])
        #expect(fields.map(\.oneofIndex) == [nil, nil, nil, nil, nil, nil, nil, 0, 0, nil])
        #expect(fields[7].comments == ["Plain text."])

        let headerReference = TypeReference(fullName: "medledger.v1.Block.Header", swiftFullName: "Medledger_V1_Block.Header")
        #expect(fields[0].type == .message(headerReference))
        #expect(fields[5].type == .map(key: .string, value: .message(headerReference)))
        #expect(fields[9].type == .enumeration(TypeReference(fullName: "medledger.v1.TxValidationCode", swiftFullName: "Medledger_V1_TxValidationCode")))

        #expect(block.oneofs == [OneofModel(protoName: "payload", swiftName: "payload", swiftTypeName: "OneOf_Payload", fieldNumbers: [8, 9])])

        let code = model.enums[0]
        #expect(code.swiftFullName == "Medledger_V1_TxValidationCode")
        #expect(code.values.map(\.swiftName) == ["valid", "badSignature"])
        #expect(code.values.map(\.protoName) == ["TX_VALIDATION_CODE_VALID", "TX_VALIDATION_CODE_BAD_SIGNATURE"])
    }

    @Test func mapEntriesAreNotNestedMessages() throws {
        let model = try ProtoSources.compile("""
            syntax = "proto3";
            message M {
              map<int32, string> names = 1;
              map<bool, M> children = 2;
            }
            """)
        #expect(model.messages[0].nestedMessages.isEmpty)
        #expect(model.messages[0].fields.map(\.type) == [
            .map(key: .int32, value: .scalar(.string)),
            .map(key: .bool, value: .message(TypeReference(fullName: "M", swiftFullName: "M"))),
        ])
        #expect(model.messages[0].fields.map(\.cardinality) == [.repeated, .repeated])
        #expect(model.messages[0].fields.map(\.needsIndirection) == [false, false])
    }

    @Test func indirectionFollowsInlineCycles() throws {
        let model = try ProtoSources.compile("""
            syntax = "proto3";
            package p;
            message Node {
              Node next = 1;
              repeated Node children = 2;
              Leaf leaf = 3;
            }
            message A { optional B b = 1; }
            message B { oneof choice { C c = 1; string none = 2; } }
            message C { A a = 1; Leaf leaf = 2; }
            message Leaf { int32 value = 1; }
            message Tree { repeated Tree children = 1; map<string, Tree> by_name = 2; }
            """)
        let byName = Dictionary(uniqueKeysWithValues: model.messages.map { ($0.fullName, $0.fields.map(\.needsIndirection)) })
        #expect(byName["p.Node"] == [true, false, false])
        #expect(byName["p.A"] == [true])
        #expect(byName["p.B"] == [true, false])
        #expect(byName["p.C"] == [true, false])
        #expect(byName["p.Leaf"] == [false])
        #expect(byName["p.Tree"] == [false, false])
    }

    @Test func servicesAndMethods() throws {
        let models = try ProtoSources.compile([
            "grpc/health/v1/health.proto": """
                syntax = "proto3";
                package grpc.health.v1;
                message HealthCheckRequest { string service = 1; }
                message HealthCheckResponse {
                  enum ServingStatus { UNKNOWN = 0; SERVING = 1; NOT_SERVING = 2; SERVICE_UNKNOWN = 3; }
                  ServingStatus status = 1;
                }
                // Health checking.
                service Health {
                  rpc Check(HealthCheckRequest) returns (HealthCheckResponse);
                  // Streams changes.
                  rpc Watch(HealthCheckRequest) returns (stream HealthCheckResponse);
                  rpc ExportCAR(stream HealthCheckRequest) returns (stream HealthCheckResponse);
                }
                """,
        ], requesting: ["grpc/health/v1/health.proto"])
        let service = models[0].services[0]
        #expect(service.fullName == "grpc.health.v1.Health")
        #expect(service.swiftName == "Grpc_Health_V1_Health")
        #expect(service.comments == ["Health checking."])
        #expect(service.methods.map(\.name) == ["Check", "Watch", "ExportCAR"])
        #expect(service.methods.map(\.swiftName) == ["check", "watch", "exportCAR"])
        #expect(service.methods.map(\.clientStreaming) == [false, false, true])
        #expect(service.methods.map(\.serverStreaming) == [false, true, true])
        #expect(service.methods[1].comments == ["Streams changes."])
        #expect(service.methods[0].input == TypeReference(fullName: "grpc.health.v1.HealthCheckRequest", swiftFullName: "Grpc_Health_V1_HealthCheckRequest"))
        let status = models[0].messages[1].nestedEnums[0]
        #expect(status.swiftFullName == "Grpc_Health_V1_HealthCheckResponse.ServingStatus")
        #expect(status.values.map(\.swiftName) == ["unknown", "serving", "notServing", "serviceUnknown"])
    }

    @Test func swiftPrefixOptionReplacesThePackagePrefix() throws {
        let model = try ProtoSources.compile("""
            syntax = "proto3";
            package medledger.v1;
            option swift_prefix = "ML";
            message Block { Block parent = 1; }
            """)
        #expect(model.messages[0].swiftFullName == "MLBlock")
        #expect(model.messages[0].fields[0].type == .message(TypeReference(fullName: "medledger.v1.Block", swiftFullName: "MLBlock")))
    }

    @Test func reservedTypeNamesAreDisambiguated() throws {
        let model = try ProtoSources.compile("""
            syntax = "proto3";
            message Type { message Protocol {} enum String { A = 0; } }
            """)
        #expect(model.messages[0].swiftName == "TypeMessage")
        #expect(model.messages[0].nestedMessages[0].swiftFullName == "TypeMessage.ProtocolMessage")
        #expect(model.messages[0].nestedEnums[0].swiftFullName == "TypeMessage.StringEnum")
    }
}
