import ProtoCompiler
import Testing

@Suite struct SwiftNamingTests {
    @Test func typePrefixes() {
        #expect(SwiftNaming.typePrefix(package: "medledger.v1") == "Medledger_V1_")
        #expect(SwiftNaming.typePrefix(package: "grpc.health.v1") == "Grpc_Health_V1_")
        #expect(SwiftNaming.typePrefix(package: "my_pkg.sub_name") == "MyPkg_SubName_")
        #expect(SwiftNaming.typePrefix(package: "") == "")
        #expect(SwiftNaming.typePrefix(package: "a.b", swiftPrefix: "") == "")
        #expect(SwiftNaming.topLevelTypeName("Block", prefix: "Medledger_V1_") == "Medledger_V1_Block")
        #expect(SwiftNaming.topLevelTypeName("Block", prefix: "") == "Block")
        #expect(SwiftNaming.topLevelTypeName("Int", prefix: "") == "IntMessage")
        #expect(SwiftNaming.nestedTypeName("Type", isEnum: true) == "TypeEnum")
        #expect(SwiftNaming.nestedTypeName("TypeMessage") == "TypeMessageMessage")
        #expect(SwiftNaming.serviceName("Health", prefix: "Grpc_Health_V1_") == "Grpc_Health_V1_Health")
    }

    @Test(arguments: [
        ("previous_hash", "previousHash"), ("height", "height"), ("block_id", "blockID"), ("http_url", "httpURL"),
        ("URL", "url"), ("tx2_count", "tx2Count"), ("_private", "private"), ("trailing_", "trailing_"),
        ("double__under", "double_Under"), ("camelCase", "camelCase"), ("unknown_fields", "unknownFields_p"),
        ("description", "description_p"), ("hash_value", "hashValue_p"), ("has_foo", "hasFoo_p"), ("clear_bar", "clearBar_p"),
        ("hash", "hash"), ("default", "default"), ("self", "self_p"), ("json_name", "jsonName_p"),
    ])
    func fieldNames(protoName: String, swiftName: String) {
        #expect(SwiftNaming.fieldName(protoName) == swiftName)
    }

    @Test func jsonNamesFollowProtoc() {
        #expect(SwiftNaming.jsonName("previous_hash") == "previousHash")
        #expect(SwiftNaming.jsonName("block_id") == "blockId")
        #expect(SwiftNaming.jsonName("_foo") == "Foo")
        #expect(SwiftNaming.jsonName("Foo_bar") == "FooBar")
        #expect(SwiftNaming.jsonName("a__b") == "aB")
    }

    @Test func oneofNames() {
        #expect(SwiftNaming.oneofName("payload") == "payload")
        #expect(SwiftNaming.oneofTypeName("payload") == "OneOf_Payload")
        #expect(SwiftNaming.oneofTypeName("tx_body") == "OneOf_TxBody")
    }

    @Test func enumCaseNames() {
        #expect(SwiftNaming.enumCaseNames(enumName: "TxValidationCode", valueNames: ["TX_VALIDATION_CODE_VALID", "TX_VALIDATION_CODE_MVCC_READ_CONFLICT"]) == ["valid", "mvccReadConflict"])
        #expect(SwiftNaming.enumCaseNames(enumName: "ServingStatus", valueNames: ["UNKNOWN", "NOT_SERVING"]) == ["unknown", "notServing"])
        // One value without the prefix keeps every name whole.
        #expect(SwiftNaming.enumCaseNames(enumName: "Status", valueNames: ["STATUS_OK", "FAILED"]) == ["statusOk", "failed"])
        // A remainder starting with a digit would need an underscore, so nothing is stripped.
        #expect(SwiftNaming.enumCaseNames(enumName: "Version", valueNames: ["VERSION_UNSPECIFIED", "VERSION_2"]) == ["versionUnspecified", "version2"])
        #expect(SwiftNaming.enumCaseNames(enumName: "Kind", valueNames: ["KIND_DEFAULT", "KIND_SELF", "KIND_RAW_VALUE"]) == ["default", "self_", "rawValue_"])
        #expect(SwiftNaming.enumCaseNames(enumName: "Kind", valueNames: ["KINDLY"]) == ["kindly"])
    }

    @Test(arguments: [
        ("CommitStatus", "commitStatus"), ("ExportCAR", "exportCAR"), ("GetCRL", "getCRL"), ("GetCAInfo", "getCAInfo"),
        ("CRLStatus", "crlStatus"), ("URL", "url"), ("Check", "check"), ("watch", "watch"), ("A", "a"),
    ])
    func methodNames(protoName: String, swiftName: String) {
        #expect(SwiftNaming.methodName(protoName) == swiftName)
    }

    @Test func keywordsAreQuotedNotRenamed() {
        #expect(SwiftNaming.isSwiftKeyword("default"))
        #expect(SwiftNaming.isSwiftKeyword("protocol"))
        #expect(!SwiftNaming.isSwiftKeyword("height"))
        #expect(SwiftNaming.quotedIfKeyword("class") == "`class`")
        #expect(SwiftNaming.quotedIfKeyword("height") == "height")
        #expect(SwiftNaming.upperCamelCase("tx_body") == "TxBody")
        #expect(SwiftNaming.lowerCamelCase("TxBody") == "txBody")
    }
}
