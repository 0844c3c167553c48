/// Emits a gRPC service in the shape grpc-swift-2's own generator produces — an enum namespace with
/// method descriptors, `StreamingServiceProtocol` / `ServiceProtocol` / `SimpleServiceProtocol`
/// (registrable with a `GRPCCore` router), `ClientProtocol` and `Client` — wired to MedLedger's
/// codecs (`WireSerializer` / `WireDeserializer`) instead of swift-protobuf's.
struct ServiceEmitter {
    let access: String

    func emit(_ service: ServiceModel, into printer: inout CodePrinter) {
        emitNamespace(service, into: &printer)
        printer.line()
        emitServerProtocols(service, into: &printer)
        printer.line()
        emitServerDefaults(service, into: &printer)
        printer.line()
        emitClient(service, into: &printer)
    }

    // MARK: Names

    private func input(_ method: MethodModel) -> String { method.input.swiftFullName }
    private func output(_ method: MethodModel) -> String { method.output.swiftFullName }
    private func name(_ method: MethodModel) -> String { SwiftNaming.quotedIfKeyword(method.swiftName) }

    private func descriptor(_ service: ServiceModel, _ method: MethodModel) -> String {
        "\(service.swiftName).Method.\(method.name).descriptor"
    }

    private func rpcType(_ method: MethodModel) -> String {
        switch (method.clientStreaming, method.serverStreaming) {
        case (false, false): "unary"
        case (true, false): "clientStreaming"
        case (false, true): "serverStreaming"
        case (true, true): "bidirectionalStreaming"
        }
    }

    // MARK: Namespace

    private func emitNamespace(_ service: ServiceModel, into printer: inout CodePrinter) {
        printer.line("// MARK: - \(service.fullName)")
        printer.line()
        printer.docComment(service.comments.isEmpty ? ["Namespace for the \"\(service.fullName)\" service."] : service.comments)
        printer.block("\(access) enum \(service.swiftName): Sendable {") { body in
            body.line("/// Service descriptor for the \"\(service.fullName)\" service.")
            body.line("\(access) static let descriptor = GRPCCore.ServiceDescriptor(fullyQualifiedService: \"\(service.fullName)\")")
            body.line("/// Namespace for method metadata.")
            body.block("\(access) enum Method: Sendable {") { methods in
                for method in service.methods {
                    methods.line("/// Metadata for \"\(method.name)\".")
                    methods.block("\(access) enum \(method.name): Sendable {") { entry in
                        entry.line("\(access) typealias Input = \(input(method))")
                        entry.line("\(access) typealias Output = \(output(method))")
                        entry.block("\(access) static let descriptor = GRPCCore.MethodDescriptor(", closing: ")") { arguments in
                            arguments.line("service: GRPCCore.ServiceDescriptor(fullyQualifiedService: \"\(service.fullName)\"),")
                            arguments.line("method: \"\(method.name)\",")
                            arguments.line("type: .\(rpcType(method))")
                        }
                    }
                }
                methods.line("/// Descriptors for all methods of the service.")
                let all = service.methods.map { "\($0.name).descriptor" }.joined(separator: ", ")
                methods.line("\(access) static let descriptors: [GRPCCore.MethodDescriptor] = [\(all)]")
            }
        }
        printer.line()
        printer.block("extension GRPCCore.ServiceDescriptor {") { body in
            body.line("/// Service descriptor for the \"\(service.fullName)\" service.")
            body.line("\(access) static let \(service.swiftName) = GRPCCore.ServiceDescriptor(fullyQualifiedService: \"\(service.fullName)\")")
        }
    }

    // MARK: Server protocols

    private func emitServerProtocols(_ service: ServiceModel, into printer: inout CodePrinter) {
        printer.block("extension \(service.swiftName) {") { body in
            body.line("/// The lowest-level server protocol: every method takes a request stream and returns a response stream.")
            body.block("\(access) protocol StreamingServiceProtocol: GRPCCore.RegistrableRPCService {") { proto in
                for method in service.methods {
                    proto.docComment(method.comments)
                    proto.line("func \(name(method))(request: GRPCCore.StreamingServerRequest<\(input(method))>, context: GRPCCore.ServerContext) async throws -> GRPCCore.StreamingServerResponse<\(output(method))>")
                }
            }
            body.line()
            body.line("/// Server protocol with request and response metadata, single messages where the RPC has them.")
            body.block("\(access) protocol ServiceProtocol: \(service.swiftName).StreamingServiceProtocol {") { proto in
                for method in service.methods where !(method.clientStreaming && method.serverStreaming) {
                    proto.docComment(method.comments)
                    proto.line("func \(name(method))(\(serviceRequestParameter(method)), context: GRPCCore.ServerContext) async throws -> \(serviceResponseType(method))")
                }
            }
            body.line()
            body.line("/// The highest-level server protocol: plain messages in, plain messages out.")
            body.block("\(access) protocol SimpleServiceProtocol: \(service.swiftName).ServiceProtocol {") { proto in
                for method in service.methods {
                    proto.docComment(method.comments)
                    proto.line("func \(name(method))(\(simpleParameters(method))) async throws\(method.serverStreaming ? "" : " -> \(output(method))")")
                }
            }
        }
    }

    private func serviceRequestParameter(_ method: MethodModel) -> String {
        method.clientStreaming
            ? "request: GRPCCore.StreamingServerRequest<\(input(method))>"
            : "request: GRPCCore.ServerRequest<\(input(method))>"
    }

    private func serviceResponseType(_ method: MethodModel) -> String {
        method.serverStreaming
            ? "GRPCCore.StreamingServerResponse<\(output(method))>"
            : "GRPCCore.ServerResponse<\(output(method))>"
    }

    private func simpleParameters(_ method: MethodModel) -> String {
        var parameters = [
            method.clientStreaming
                ? "request: GRPCCore.RPCAsyncSequence<\(input(method)), any Swift.Error>"
                : "request: \(input(method))",
        ]
        if method.serverStreaming { parameters.append("response: GRPCCore.RPCWriter<\(output(method))>") }
        parameters.append("context: GRPCCore.ServerContext")
        return parameters.joined(separator: ", ")
    }

    // MARK: Server defaults

    private func emitServerDefaults(_ service: ServiceModel, into printer: inout CodePrinter) {
        printer.block("extension \(service.swiftName).StreamingServiceProtocol {") { body in
            body.block("\(access) func registerMethods<Transport>(with router: inout GRPCCore.RPCRouter<Transport>) where Transport: GRPCCore.ServerTransport {") { register in
                for method in service.methods {
                    register.block("router.registerHandler(", closing: ")") { call in
                        call.line("forMethod: \(descriptor(service, method)),")
                        call.line("deserializer: WireDeserializer<\(input(method))>(),")
                        call.line("serializer: WireSerializer<\(output(method))>(),")
                        call.line("handler: { request, context in try await self.\(name(method))(request: request, context: context) }")
                    }
                }
            }
        }
        printer.line()
        printer.block("extension \(service.swiftName).ServiceProtocol {") { body in
            for method in service.methods where !(method.clientStreaming && method.serverStreaming) {
                body.block("\(access) func \(name(method))(request: GRPCCore.StreamingServerRequest<\(input(method))>, context: GRPCCore.ServerContext) async throws -> GRPCCore.StreamingServerResponse<\(output(method))> {") { function in
                    let request = method.clientStreaming ? "request" : "GRPCCore.ServerRequest(stream: request)"
                    function.line("let response = try await self.\(name(method))(request: \(request), context: context)")
                    function.line(method.serverStreaming ? "return response" : "return GRPCCore.StreamingServerResponse(single: response)")
                }
            }
        }
        printer.line()
        printer.block("extension \(service.swiftName).SimpleServiceProtocol {") { body in
            for method in service.methods {
                let request = method.clientStreaming ? "request.messages" : "request.message"
                let signature = method.clientStreaming && method.serverStreaming
                    ? "request: GRPCCore.StreamingServerRequest<\(input(method))>, context: GRPCCore.ServerContext) async throws -> GRPCCore.StreamingServerResponse<\(output(method))>"
                    : "\(serviceRequestParameter(method)), context: GRPCCore.ServerContext) async throws -> \(serviceResponseType(method))"
                body.block("\(access) func \(name(method))(\(signature) {") { function in
                    if method.serverStreaming {
                        function.block("return GRPCCore.StreamingServerResponse<\(output(method))>(metadata: [:]) { writer in", closing: "}") { producer in
                            producer.line("try await self.\(name(method))(request: \(request), response: writer, context: context)")
                            producer.line("return [:]")
                        }
                    } else {
                        function.line("return GRPCCore.ServerResponse<\(output(method))>(message: try await self.\(name(method))(request: \(request), context: context), metadata: [:])")
                    }
                }
            }
        }
    }

    // MARK: Client

    private func clientRequestType(_ method: MethodModel) -> String {
        method.clientStreaming
            ? "GRPCCore.StreamingClientRequest<\(input(method))>"
            : "GRPCCore.ClientRequest<\(input(method))>"
    }

    private func clientResponseType(_ method: MethodModel) -> String {
        method.serverStreaming
            ? "GRPCCore.StreamingClientResponse<\(output(method))>"
            : "GRPCCore.ClientResponse<\(output(method))>"
    }

    /// The response handler parameter; single responses default to returning the message.
    private func responseHandler(_ method: MethodModel) -> String {
        let handler = "onResponse handleResponse: @Sendable @escaping (\(clientResponseType(method))) async throws -> Result"
        return method.serverStreaming ? handler : handler + " = { response in try response.message }"
    }

    private func emitClient(_ service: ServiceModel, into printer: inout CodePrinter) {
        printer.block("extension \(service.swiftName) {") { body in
            body.line("/// What a client of the service can call; implemented by `Client`.")
            body.block("\(access) protocol ClientProtocol: Sendable {") { proto in
                for method in service.methods {
                    proto.docComment(method.comments)
                    proto.line("func \(name(method))<Result>(request: \(clientRequestType(method)), serializer: some GRPCCore.MessageSerializer<\(input(method))>, deserializer: some GRPCCore.MessageDeserializer<\(output(method))>, options: GRPCCore.CallOptions, onResponse handleResponse: @Sendable @escaping (\(clientResponseType(method))) async throws -> Result) async throws -> Result where Result: Sendable")
                }
            }
            body.line()
            body.line("/// A client for the service over a `GRPCCore.GRPCClient`.")
            body.block("\(access) struct Client<Transport>: ClientProtocol where Transport: GRPCCore.ClientTransport {") { client in
                client.line("private let client: GRPCCore.GRPCClient<Transport>")
                client.line()
                client.line("/// Creates a client that calls the service through `client`.")
                client.line("\(access) init(wrapping client: GRPCCore.GRPCClient<Transport>) { self.client = client }")
                for method in service.methods {
                    client.line()
                    client.docComment(method.comments)
                    client.block("\(access) func \(name(method))<Result>(request: \(clientRequestType(method)), serializer: some GRPCCore.MessageSerializer<\(input(method))>, deserializer: some GRPCCore.MessageDeserializer<\(output(method))>, options: GRPCCore.CallOptions = .defaults, \(responseHandler(method))) async throws -> Result where Result: Sendable {") { function in
                        function.line("try await self.client.\(rpcType(method))(request: request, descriptor: \(descriptor(service, method)), serializer: serializer, deserializer: deserializer, options: options, onResponse: handleResponse)")
                    }
                }
            }
        }
        printer.line()
        printer.block("extension \(service.swiftName).ClientProtocol {") { body in
            for (index, method) in service.methods.enumerated() {
                if index > 0 { body.line() }
                body.docComment(method.comments)
                body.block("\(access) func \(name(method))<Result>(request: \(clientRequestType(method)), options: GRPCCore.CallOptions = .defaults, \(responseHandler(method))) async throws -> Result where Result: Sendable {") { function in
                    function.line("try await self.\(name(method))(request: request, serializer: WireSerializer<\(input(method))>(), deserializer: WireDeserializer<\(output(method))>(), options: options, onResponse: handleResponse)")
                }
                body.line()
                body.docComment(method.comments)
                let messageParameter = method.clientStreaming
                    ? "metadata: GRPCCore.Metadata = [:], options: GRPCCore.CallOptions = .defaults, requestProducer producer: @Sendable @escaping (GRPCCore.RPCWriter<\(input(method))>) async throws -> Void"
                    : "_ message: \(input(method)), metadata: GRPCCore.Metadata = [:], options: GRPCCore.CallOptions = .defaults"
                body.block("\(access) func \(name(method))<Result>(\(messageParameter), \(responseHandler(method))) async throws -> Result where Result: Sendable {") { function in
                    let request = method.clientStreaming
                        ? "GRPCCore.StreamingClientRequest<\(input(method))>(metadata: metadata, producer: producer)"
                        : "GRPCCore.ClientRequest<\(input(method))>(message: message, metadata: metadata)"
                    function.line("let request = \(request)")
                    function.line("return try await self.\(name(method))(request: request, options: options, onResponse: handleResponse)")
                }
            }
        }
    }
}
