import ProtoCompiler
import Testing

/// Name resolution across scopes, packages and imports.
@Suite struct ScopingTests {
    private func fieldTypes(_ message: MessageModel) -> [String] {
        message.fields.map { field in
            switch field.type {
            case .message(let reference), .enumeration(let reference): reference.fullName
            case .map(_, .message(let reference)), .map(_, .enumeration(let reference)): reference.fullName
            default: "scalar"
            }
        }
    }

    @Test func relativeNamesAreSearchedFromTheInnermostScopeOutward() throws {
        let model = try ProtoSources.compile("""
            syntax = "proto3";
            package a.b;
            message Inner {}
            message Outer {
              message Inner {}
              message Other {
                Inner shadowed = 1;
                .a.b.Inner qualified = 2;
                Outer.Inner dotted = 3;
                b.Inner via_package = 4;
              }
            }
            """)
        let other = model.messages[1].nestedMessages[1]
        #expect(fieldTypes(other) == ["a.b.Outer.Inner", "a.b.Inner", "a.b.Outer.Inner", "a.b.Inner"])
        #expect(other.fields[0].type == .message(TypeReference(fullName: "a.b.Outer.Inner", swiftFullName: "A_B_Outer.Inner")))
    }

    @Test func fieldsWithATypesNameDoNotHideTheType() throws {
        let model = try ProtoSources.compile("""
            syntax = "proto3";
            package p;
            message Status {}
            message Reply {
              int32 Status = 1;
              Status status_value = 2;
            }
            """)
        #expect(fieldTypes(model.messages[1]) == ["scalar", "p.Status"])
    }

    @Test func typesFromOtherPackagesResolveThroughSharedPrefixes() throws {
        let models = try ProtoSources.compile([
            "a/c/dep.proto": "syntax = \"proto3\";\npackage a.c;\nmessage M { enum Kind { KIND_UNSPECIFIED = 0; } }\n",
            "a/b/main.proto": """
                syntax = "proto3";
                package a.b;
                import "a/c/dep.proto";
                message X {
                  c.M m = 1;
                  a.c.M.Kind kind = 2;
                  map<string, .a.c.M> by_name = 3;
                }
                """,
        ], requesting: ["a/b/main.proto"])
        #expect(fieldTypes(models[0].messages[0]) == ["a.c.M", "a.c.M.Kind", "a.c.M"])
        #expect(models[0].messages[0].fields[1].type == .enumeration(TypeReference(fullName: "a.c.M.Kind", swiftFullName: "A_C_M.Kind")))
    }

    @Test func publicImportsAreVisibleTransitively() throws {
        let models = try ProtoSources.compile([
            "base.proto": "syntax = \"proto3\";\npackage base;\nmessage Base {}\n",
            "reexport.proto": "syntax = \"proto3\";\nimport public \"base.proto\";\n",
            "middle.proto": "syntax = \"proto3\";\nimport public \"reexport.proto\";\n",
            "main.proto": "syntax = \"proto3\";\nimport \"middle.proto\";\nmessage M { base.Base b = 1; }\n",
        ], requesting: ["main.proto", "base.proto"])
        #expect(models.map(\.path) == ["main.proto", "base.proto"])
        #expect(fieldTypes(models[0].messages[0]) == ["base.Base"])
    }

    @Test func typesFromFilesNotImportedAreInvisible() {
        let error = ProtoSources.error([
            "base.proto": "syntax = \"proto3\";\npackage base;\nmessage Base {}\n",
            "middle.proto": "syntax = \"proto3\";\nimport \"base.proto\";\n",
            "main.proto": "syntax = \"proto3\";\nimport \"middle.proto\";\nmessage M {\n  base.Base b = 1;\n}\n",
        ], requesting: "main.proto")
        #expect(error == CompileError(
            file: "main.proto", line: 4, column: 3,
            message: "'base.Base' seems to be defined in 'base.proto', which is not imported by 'main.proto'; add the import to use it here"
        ))
    }

    @Test func importCyclesAreReportedAtTheClosingImport() {
        let error = ProtoSources.error([
            "a.proto": "syntax = \"proto3\";\nimport \"b.proto\";\n",
            "b.proto": "syntax = \"proto3\";\n\nimport \"c.proto\";\n",
            "c.proto": "syntax = \"proto3\";\nimport \"a.proto\";\n",
        ], requesting: "a.proto")
        #expect(error == CompileError(file: "c.proto", line: 2, column: 1, message: "import cycle: a.proto -> b.proto -> c.proto -> a.proto"))
    }

    @Test func missingImportsAndFiles() {
        let missingImport = ProtoSources.error(["a.proto": "syntax = \"proto3\";\n  import \"nope.proto\";\n"], requesting: "a.proto")
        #expect(missingImport?.file == "a.proto")
        #expect(missingImport?.line == 2 && missingImport?.column == 3)
        #expect(missingImport?.message.contains("'nope.proto' not found") == true)

        let missingFile = ProtoSources.error([:], requesting: "absent.proto")
        #expect(missingFile?.file == "absent.proto")
        #expect(missingFile?.message.contains("not found") == true)

        let twice = ProtoSources.error([
            "a.proto": "syntax = \"proto3\";\nimport \"b.proto\";\nimport \"b.proto\";\n",
            "b.proto": "syntax = \"proto3\";\n",
        ], requesting: "a.proto")
        #expect(twice == CompileError(file: "a.proto", line: 3, column: 1, message: "'b.proto' is imported twice"))
    }

    @Test func definitionsClashAcrossFiles() {
        let duplicate = ProtoSources.error([
            "a.proto": "syntax = \"proto3\";\npackage p;\nmessage M {}\n",
            "b.proto": "syntax = \"proto3\";\npackage p;\nimport \"a.proto\";\nmessage M {}\n",
        ], requesting: "b.proto")
        #expect(duplicate == CompileError(file: "b.proto", line: 4, column: 9, message: "'p.M' is already defined as a message in 'a.proto' at 3:9"))

        let packageClash = ProtoSources.error([
            "a.proto": "syntax = \"proto3\";\npackage p;\nmessage q {}\n",
            "b.proto": "syntax = \"proto3\";\npackage p.q;\nimport \"a.proto\";\n",
        ], requesting: "b.proto")
        #expect(packageClash?.file == "b.proto")
        #expect(packageClash?.message.contains("'p.q' is already defined as a message") == true)
    }
}
