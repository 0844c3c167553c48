internal import ArgumentParser
internal import Foundation
internal import Logging
internal import Server

/// Where a node command (`serve`, `dev`) keeps its data, where it listens and how much it logs.
struct NodeLaunchOptions: ParsableArguments {
    @Option(name: .customLong("data"), help: ArgumentHelp("The node's data directory.", valueName: "DIR"))
    var dataDirectory = "./medledger-data"

    @Option(help: "The IP address to listen on.")
    var host = "127.0.0.1"

    @Option(help: "The TCP port to listen on (0 picks a free one).")
    var port = ServerConfiguration.defaultPort

    @Option(
        name: .customLong("hostname"),
        help: "An extra DNS name or IP address for the server certificate (repeatable)."
    )
    var hostnames: [String] = []

    @Option(help: "One of: \(Logger.Level.allCases.map(\.rawValue).joined(separator: ", ")).")
    var logLevel = "info"

    @Option(help: "Serve Prometheus metrics on http://127.0.0.1:PORT/metrics (loopback only; 0 picks a free port).")
    var metricsPort: Int?

    @Option(help: "Serve FHIR Bulk Data export and the SMART token endpoint on https://HOST:PORT/fhir (default 8443, or a free port when --port is 0; 0 picks a free port).")
    var httpsPort: Int?

    @Flag(help: "Serve no HTTPS (no FHIR Bulk Data export).")
    var noHttps = false

    @Option(help: ArgumentHelp("How long a finished bulk export's files are kept, in minutes.", valueName: "MINUTES"))
    var exportRetention = 60

    @Option(
        help: ArgumentHelp(
            "How long a record upload may stay unreferenced by a committed record before its content and keys are collected, in minutes.",
            valueName: "MINUTES"))
    var uploadGrace = 60

    func validate() throws {
        guard Logger.Level(rawValue: logLevel) != nil else {
            throw ValidationError("unknown log level '\(logLevel)'")
        }
        guard (0...65535).contains(port) else {
            throw ValidationError("port \(port) is outside 0...65535")
        }
        if let metricsPort, !(0...65535).contains(metricsPort) {
            throw ValidationError("--metrics-port \(metricsPort) is outside 0...65535")
        }
        if let httpsPort, !(0...65535).contains(httpsPort) {
            throw ValidationError("--https-port \(httpsPort) is outside 0...65535")
        }
        guard exportRetention > 0, uploadGrace > 0 else {
            throw ValidationError("--export-retention and --upload-grace must be at least 1 minute")
        }
    }

    /// Sends log lines at `--log-level` and above to stderr; returns the node's logger.
    func bootstrapLogging() -> Logger {
        let level = Logger.Level(rawValue: logLevel) ?? .info
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        return Logger(label: "medledger")
    }

    /// The configuration, with `--data` made absolute.
    var configuration: ServerConfiguration {
        let dataURL = URL(
            fileURLWithPath: dataDirectory,
            relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath, isDirectory: true)
        ).standardizedFileURL
        return ServerConfiguration(
            dataDirectory: dataURL, host: host, port: port, hostnames: hostnames, metricsPort: metricsPort,
            httpsPort: noHttps ? nil : httpsPort ?? (port == 0 ? 0 : 8443), exportRetention: TimeInterval(exportRetention * 60),
            uploadGrace: TimeInterval(uploadGrace * 60))
    }
}

/// Runs `node` until SIGTERM or SIGINT, printing `banner(address)` to stdout once it listens.
func serveUntilTerminated(_ node: MedLedgerNode, banner: @escaping @Sendable (String) -> String) async throws {
    try await withThrowingDiscardingTaskGroup { tasks in
        tasks.addTask { try await node.runUntilTerminated() }
        if let address = try? await node.server.announcedAddress {
            // Written unbuffered: scripts and tests read these lines while the server runs.
            var text = banner("\(address)")
            if let metrics = node.metricsEndpoint {
                text += "Prometheus metrics: http://127.0.0.1:\(metrics.port)/metrics\n"
            }
            if let fhir = node.fhirEndpoint {
                let port = try await fhir.port
                text += "FHIR Bulk Data: https://\(node.configuration.host.contains(":") ? "[\(node.configuration.host)]" : node.configuration.host):\(port)/fhir (SMART token endpoint /auth/token)\n"
            }
            FileHandle.standardOutput.write(Data(text.utf8))
        }
    }
}
