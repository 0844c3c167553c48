import Foundation
import MedLedgerTesting
import Testing

@Suite("medledger dev as a newcomer runs it: a process, its printed instructions, a second start")
struct DevCommandTests {
    /// Starts the portal command given as arguments, opens the URL it prints (following the
    /// sign-in redirect with its cookie), prints "STATUS SHOWS-P-001 URL", stops the portal.
    static let openPortal = """
        import re, subprocess, sys, requests
        portal = subprocess.Popen(sys.argv[1:], stdout=subprocess.PIPE, text=True)
        try:
            url = next(m.group(1) for m in (re.search(r"Open: (\\S+)", line) for line in portal.stdout) if m)
            page = requests.get(url, timeout=60)
            print(page.status_code, "P-001" in page.text, page.url)
        finally:
            portal.terminate()
            portal.wait(timeout=30)
        """

    @Test func thePrintedInstructionsWorkAndASecondStartReusesTheData() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let data = directory.url.appending(path: "data")
        let logs = directory.url.appending(path: "logs")
        try FileManager.default.createDirectory(at: logs, withIntermediateDirectories: true)

        let node = try await NodeProcess.dev(dataDirectory: data, logs: logs, name: "dev-1")
        #expect(node.banner.contains("(created now)"))
        #expect(node.banner.contains("Channels: ehr (HospitalA, HospitalB, PharmaCo, Regulator); hospitals (HospitalA, HospitalB)"))

        // Every command the banner prints, exactly as printed (comments dropped), in its order,
        // on the fresh network: none may fail.
        let printed = node.banner.split(separator: "\n").filter { $0.hasPrefix("  \(NodeProcess.medledger) ") }
        #expect(printed.count == 4, "\(node.banner)")
        for line in printed {
            let command = line.split(separator: "#")[0].split(separator: " ").map(String.init)
            let run = try await runProcess(command, timeout: .seconds(180))
            try #require(run.status == 0, "the printed command failed: \(line)\n\(run.summary)")
            if command[1] == "demo" { #expect(run.standardOutput.contains("The story is complete.")) }
            if command[1] == "record" { #expect(run.standardOutput.contains("lab/Observation by dr-alice@HospitalAMSP"), "\(run.summary)") }
            if command[1] == "audit" { #expect(!run.standardOutput.isEmpty, "\(run.summary)") }
        }
        // The portal line, as printed (on a free port here): it prints a URL that opens the patient's records.
        let portalLine = try #require(node.banner.split(separator: "\n").first { $0.hasPrefix("portal: ") }, "\(node.banner)")
        let portal = portalLine.dropFirst("portal: ".count).split(separator: " ").map(String.init) + ["--port", "0"]
        let opened = try await runProcess(["python3", "-c", Self.openPortal] + portal, timeout: .seconds(120))
        #expect(opened.status == 0 && opened.standardOutput.hasPrefix("200 True http://127.0.0.1:"), "\(opened.summary)")

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

    /// A newcomer's terminal shows stderr and stdout together: the first start's log says what
    /// it does (a first TLS certificate, not a failure to read one), and the banner comes after
    /// the last startup log line, whole.
    @Test func theFirstStartLogsWhatItDoesAndTheBannerComesWhole() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let terminal = directory.url.appending(path: "terminal")
        let script = #"""
            "$1" dev --host 127.0.0.1 --port 0 --data "$2" > "$3" 2>&1 &
            pid=$!
            for _ in $(seq 1 900); do grep -q "run these in this order" "$3" && break; sleep 0.2; done
            sleep 1
            kill -TERM "$pid"
            wait "$pid"
            """#
        let run = try await runProcess(
            ["sh", "-c", script, "sh", NodeProcess.medledger, directory.url.appending(path: "data").path, terminal.path], timeout: .seconds(240))
        #expect(run.status == 0, "\(run.summary)")
        let lines = try String(contentsOf: terminal, encoding: .utf8).split(separator: "\n").map(String.init)
        let text = lines.joined(separator: "\n")
        #expect(text.contains("issuing the node's first TLS certificate"), "\(text)")
        #expect(!text.contains("no usable") && !text.contains("CocoaError"), "\(text)")
        let first = try #require(lines.firstIndex { $0.hasPrefix("MedLedger development network listening on") }, "\(text)")
        let last = try #require(lines.lastIndex { $0.contains(" audit list --identity ") }, "\(text)")
        let logged = lines.indices.filter { lines[$0].contains(" info medledger") }
        let listening = try #require(logged.first { lines[$0].contains("[Server] listening") }, "\(text)")
        #expect(listening < first, "the node's 'listening' log line comes before the banner, not after it\n\(text)")
        for index in logged where index > first && index < last {
            Issue.record("a log line inside the banner: \(lines[index])")
        }
        #expect(logged.filter { $0 < first }.count >= 10, "the startup log comes before the banner\n\(text)")
    }
}
