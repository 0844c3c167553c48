import Foundation
import MedLedgerTesting
import Testing

/// `medledger proto encode|decode` against protoc's own `--decode`/`--encode` on the same schema.
@Suite struct ProtoCommandTests {
    /// The `medledger` binary `swift build --build-tests` put beside the test bundle.
    static let medledger = BuiltProduct.path("medledger")

    static func run(_ executable: String, _ arguments: [String], input: Data) throws -> (status: Int32, stdout: Data, stderr: String) {
        let run = try runProcessBlocking([executable] + arguments, input: input)
        return (run.status, run.standardOutputData, run.standardError)
    }

    let blockJSON = #"{"header":{"number":"7","previousHash":"AAEC","dataHash":"/w=="},"metadata":{"validationCodes":["TX_VALIDATION_CODE_VALID","TX_VALIDATION_CODE_MVCC_READ_CONFLICT"]}}"#
    let blockText = """
        header { number: 7 previous_hash: "\\000\\001\\002" data_hash: "\\377" }
        metadata { validation_codes: [TX_VALIDATION_CODE_VALID, TX_VALIDATION_CODE_MVCC_READ_CONFLICT] }
        """

    @Test func encodeWritesTheBytesProtocWrites() throws {
        #expect(FileManager.default.isExecutableFile(atPath: Self.medledger), "build the medledger product first: swift build --build-tests")
        let ours = try Self.run(Self.medledger, ["proto", "encode", "--type", "medledger.v1.Block"], input: Data(blockJSON.utf8))
        #expect(ours.status == 0, "\(ours.stderr)")
        let protoc = try Self.run(
            "protoc",
            ["-I", repositoryRoot.appending(path: "proto").path, "--encode=medledger.v1.Block", "medledger/v1/block.proto"],
            input: Data(blockText.utf8)
        )
        #expect(protoc.status == 0, "\(protoc.stderr)")
        #expect(ours.stdout == protoc.stdout)
        #expect(ours.stdout.count > 10)
    }

    @Test func decodePrintsCanonicalJSON() throws {
        let bytes = try Self.run(Self.medledger, ["proto", "encode", "--type", "medledger.v1.Block"], input: Data(blockJSON.utf8)).stdout
        let decoded = try Self.run(Self.medledger, ["proto", "decode", "--type", "medledger.v1.Block"], input: bytes)
        #expect(decoded.status == 0, "\(decoded.stderr)")
        #expect(String(decoding: decoded.stdout, as: UTF8.self) == blockJSON + "\n")
    }

    @Test func malformedInputNamesTheFieldAndFails() throws {
        let bytes = try Self.run(Self.medledger, ["proto", "encode", "--type", "medledger.v1.Block"], input: Data(blockJSON.utf8)).stdout
        let truncated = try Self.run(Self.medledger, ["proto", "decode", "--type", "medledger.v1.Block"], input: bytes.prefix(5))
        #expect(truncated.status != 0)
        #expect(truncated.stderr.contains("medledger.v1.Block.header"))
        #expect(truncated.stdout.isEmpty)

        let badJSON = try Self.run(Self.medledger, ["proto", "encode", "--type", "medledger.v1.Block"], input: Data(#"{"header":{"number":"x"}}"#.utf8))
        #expect(badJSON.status != 0)
        #expect(badJSON.stderr.contains("medledger.v1.Block.header.number"))

        let unknownType = try Self.run(Self.medledger, ["proto", "decode", "--type", "medledger.v1.Nope"], input: Data())
        #expect(unknownType.status != 0)
        #expect(unknownType.stderr.contains("unknown message type"))
    }
}
