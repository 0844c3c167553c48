import Foundation
import Testing

@Suite("medledger dev as a newcomer runs it: a process, its printed instructions, a second start")
struct DevCommandTests {
    @Test func thePrintedInstructionsWorkAndASecondStartReusesTheData() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let data = directory.url.appending(path: "data")
        let logs = directory.url.appending(path: "logs")
        try FileManager.default.createDirectory(at: logs, withIntermediateDirectories: true)

        let node = try await NodeProcess.dev(dataDirectory: data, logs: logs, name: "dev-1")
        #expect(node.banner.contains("(created now)"))
        #expect(node.banner.contains("Channels: ehr (HospitalA, HospitalB, PharmaCo, Regulator); hospitals (HospitalA, HospitalB)"))

        // The demo exactly as the banner prints it (the comment dropped).
        let printed = try #require(node.banner.split(separator: "\n").first { $0.contains(" demo --data ") })
        let command = printed.split(separator: "#")[0].split(separator: " ").map(String.init)
        let demo = try await runProcess(command, timeout: .seconds(180))
        try #require(demo.status == 0, "the printed demo command failed\n\(demo.summary)")
        #expect(demo.standardOutput.contains("The story is complete."))

        // One node per data directory; serve refuses a dev directory.
        let second = try await runProcess([NodeProcess.medledger, "dev", "--port", "0", "--data", data.path], timeout: .seconds(60))
        #expect(second.status != 0 && second.standardError.contains("in use by another MedLedger node"), "\(second.summary)")
        let serve = try await runProcess([NodeProcess.medledger, "serve", "--port", "0", "--data", data.path], timeout: .seconds(60))
        #expect(serve.status != 0 && serve.standardError.contains("holds a development network"), "\(serve.summary)")

        #expect(await node.stop(SIGTERM) == 0, "dev exits 0 on SIGTERM\n\(node.log)")
        let again = try await NodeProcess.dev(dataDirectory: data, logs: logs, name: "dev-2")
        #expect(again.banner.contains("(reused)"))
        #expect(await again.stop(SIGTERM) == 0)
    }
}
