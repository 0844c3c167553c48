import Foundation
import GRPCCore
import GRPCNIOTransportHTTP2
import Identity
import MedLedgerKit
import MedLedgerTesting
import Schema
import Server
import Testing
import Wire

/// gRPC server reflection on a running node, over real mTLS: our own generated clients (v1 and
/// v1alpha), and Python grpcio-reflection, which calls the node with no .proto file at all.
@Suite("Server reflection")
struct ReflectionTests {
    typealias Request = Grpc_Reflection_V1_ServerReflectionRequest
    typealias Response = Grpc_Reflection_V1_ServerReflectionResponse

    @Test func listsServedServicesAndAnswersEveryKindOfRequestInOrderOnOneStream() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try await withDevNetwork(in: directory.url) { dev in
            var requests: [Request] = []
            func add(_ body: (inout Request) -> Void) {
                var request = Request()
                request.host = "node-\(requests.count)"
                body(&request)
                requests.append(request)
            }
            add { $0.listServices = "*" }
            add { $0.fileContainingSymbol = "medledger.v1.Gateway.Submit" }
            add { $0.fileByFilename = "no/such.proto" }
            add { $0.fileByFilename = "grpc/health/v1/health.proto" }
            add { $0.fileContainingSymbol = ".medledger.v1.EndorsementPolicy.SignedBy" }
            add { $0.allExtensionNumbersOfType = "medledger.v1.Block" }
            add { var e = Grpc_Reflection_V1_ExtensionRequest(); e.containingType = "medledger.v1.Block"; e.extensionNumber = 100; $0.fileContainingExtension = e }
            add { $0.fileContainingSymbol = "medledger.v1.NoSuchThing" }
            add { _ in }
            let sent = requests
            let responses = try await dev.withClient(as: "dr-alice") { client in
                try await Grpc_Reflection_V1_ServerReflection.Client(wrapping: client).serverReflectionInfo(
                    options: callOptions(),
                    requestProducer: { writer in try await writer.write(contentsOf: sent) },
                    onResponse: { response in try await response.messages.reduce(into: [Response]()) { $0.append($1) } })
            }
            try #require(responses.count == requests.count)
            for (request, response) in zip(requests, responses) {
                #expect(response.originalRequest == request)
                #expect(response.validHost == request.host)
            }

            let listed = responses[0].listServicesResponse.service.map(\.name)
            let served = Set(await dev.node.server.health.allStatuses().keys.filter { !$0.isEmpty && !$0.contains("/") })
            #expect(Set(listed) == served.union([MedLedgerServer.reflectionServiceName, MedLedgerServer.reflectionServiceNameV1Alpha]))
            #expect(listed.contains("medledger.v1.Gateway") && listed.contains("medledger.v1.Records") && listed.contains("grpc.health.v1.Health"))
            #expect(!listed.contains { $0.hasPrefix("etcdserverpb") }, "client-only schemas are not served: \(listed)")

            let registry = Dictionary(uniqueKeysWithValues: FileDescriptorRegistry.files.map { ($0.name, $0) })
            let gatewayFiles = responses[1].fileDescriptorResponse.fileDescriptorProto
            #expect(gatewayFiles.first == registry["medledger/v1/gateway.proto"]?.serialized)
            #expect(Set(gatewayFiles) == Set(Self.closure(of: "medledger/v1/gateway.proto", registry).compactMap { registry[$0]?.serialized }))
            #expect(gatewayFiles.count == Set(gatewayFiles).count, "a file was sent twice")

            #expect(responses[2].errorResponse.errorCode == 5)
            #expect(responses[2].errorResponse.errorMessage.contains("no/such.proto") == true)
            #expect(responses[3].fileDescriptorResponse.fileDescriptorProto == [registry["grpc/health/v1/health.proto"]!.serialized])
            #expect(responses[4].fileDescriptorResponse.fileDescriptorProto.first == registry["medledger/v1/channel.proto"]?.serialized)
            #expect(responses[5].allExtensionNumbersResponse.baseTypeName == "medledger.v1.Block")
            #expect(responses[5].allExtensionNumbersResponse.extensionNumber == [])
            #expect(responses[6].errorResponse.errorCode == 5)
            #expect(responses[6].errorResponse.errorMessage.contains("100") == true)
            #expect(responses[7].errorResponse.errorCode == 5)
            #expect(responses[7].errorResponse.errorMessage.contains("medledger.v1.NoSuchThing") == true)
            #expect(responses[8].errorResponse.errorCode == 3)
            #expect(responses[8].errorResponse.errorMessage.contains("list_services") == true)

            // v1alpha: the same answers under the older package.
            let alphaRequest = {
                var request = Grpc_Reflection_V1alpha_ServerReflectionRequest()
                request.fileContainingSymbol = "medledger.v1.Gateway"
                return request
            }()
            let alpha = try await dev.withClient(as: "patient-1") { client in
                try await Grpc_Reflection_V1alpha_ServerReflection.Client(wrapping: client).serverReflectionInfo(
                    options: callOptions(),
                    requestProducer: { writer in try await writer.write(alphaRequest) },
                    onResponse: { response in try await response.messages.reduce(into: [Grpc_Reflection_V1alpha_ServerReflectionResponse]()) { $0.append($1) } })
            }
            #expect(alpha.first?.fileDescriptorResponse.fileDescriptorProto == gatewayFiles)
        }
    }

    @Test func aCallerWithoutAClientCertificateIsRefused() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try await withDevNetwork(in: directory.url) { dev in
            let transport = try HTTP2ClientTransport.Posix(
                target: .ipv4(address: dev.address.host, port: dev.address.port),
                transportSecurity: .tls { tls in
                    tls.trustRoots = .certificates([.file(path: dev.network.identity("dr-alice").tlsTrustPath, format: .pem)])
                })
            let error = await #expect(throws: RPCError.self) {
                try await withGRPCClient(transport: transport) { client in
                    let request = { var request = Grpc_Reflection_V1_ServerReflectionRequest(); request.listServices = ""; return request }()
                    return try await Grpc_Reflection_V1_ServerReflection.Client(wrapping: client).serverReflectionInfo(
                        options: callOptions(),
                        requestProducer: { writer in try await writer.write(request) },
                        onResponse: { response in try await response.messages.reduce(0) { count, _ in count + 1 } })
                }
            }
            #expect(error?.code == .unauthenticated)
            #expect(error?.message.contains("grpc.reflection.v1.ServerReflection/ServerReflectionInfo") == true)
        }
    }

    @Test("Python grpcio-reflection calls Health and Gateway with no .proto file")
    func pythonClientWithNoProtoFiles() async throws {
        try await requireTool(["python3", "-c", "import grpc_reflection"], install: "pip install grpcio-reflection")
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try await withDevNetwork(in: directory.url) { dev in
            let alice = try dev.user("dr-alice")
            let committed = try await dev.withClient(as: "dr-alice") { client in
                try await LedgerGateway(client: client, signer: alice.signer, channel: "ehr", options: callOptions())
                    .submit("asset", "CreateAsset", ["reflected-1", #"{"owner":"alice","value":1}"#])
            }
            let folder = dev.network.identity("dr-alice")
            let output = try await runProcess([
                "python3", repositoryRoot.appendingPathComponent("Tests/IntegrationTests/Python/reflection_client.py").path,
                "--target", "\(dev.address)", "--ca", folder.tlsTrustPath, "--cert", folder.certificatePath, "--key", folder.keyPath,
                "--channel", "ehr", "--tx-id", committed.txID,
            ])
            try #require(output.status == 0, "reflection_client.py failed\n\(output.summary)")
            let report = try #require(try JSONSerialization.jsonObject(with: Data(output.standardOutput.utf8)) as? [String: Any], "\(output.summary)")
            let services = report["services"] as? [String] ?? []
            #expect(services.contains("medledger.v1.Gateway") && services.contains(MedLedgerServer.reflectionServiceNameV1Alpha), "\(services)")
            #expect(report["health"] as? String == "SERVING")
            let status = report["commit_status"] as? [String: Any]
            #expect(status?["result"] as? String == "TX_VALIDATION_CODE_VALID")
            #expect((status?["block_number"] as? NSNumber)?.uint64Value == committed.status.blockNumber)
            #expect(report["commit_status_file"] as? String == "medledger/v1/gateway.proto")
            #expect(Set(report["commit_status_imports"] as? [String] ?? []) == Set(FileDescriptorRegistry.files.first { $0.name == "medledger/v1/gateway.proto" }!.dependencies))
            #expect((report["gateway_message_types"] as? [String])?.contains("CommitStatusRequest") == true)
            let v1 = report["v1"] as? [String: Any]
            #expect(Set(v1?["services"] as? [String] ?? []) == Set(services))
            let unknown = v1?["unknown"] as? [String: Any]
            #expect(unknown?["code"] as? Int == 5)
            #expect(unknown?["original"] as? String == "no.such.Symbol")
        }
    }

    /// `name` and every file it imports, transitively.
    static func closure(of name: String, _ registry: [String: ProtoFileDescriptor]) -> Set<String> {
        var result: Set<String> = []
        var pending = [name]
        while let next = pending.popLast() {
            if result.insert(next).inserted { pending.append(contentsOf: registry[next]?.dependencies ?? []) }
        }
        return result
    }
}
