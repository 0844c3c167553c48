import Foundation
import MedLedgerTesting
import Server
import Testing

/// The portal in a real browser: headless Chromium driven by Selenium (Python/portal_browser.py)
/// against a `medledger dev` process, with `medledger portal` processes for a patient, two
/// clinicians, a researcher and an auditor. The script clicks the patient story through (grant in
/// the portal → dr-bob reads with the CLI → the timeline shows it → revoke in the portal → dr-bob
/// is denied), a clinician's break-glass (with the patient's live alert), an upload, a study
/// request, approval and export, and an auditor's chain verification; then the security checks.
/// Its screenshots are left in `.build/portal-screenshots/` (artifacts, not committed). It runs
/// niced: a browser, five portals and a JVM are the heaviest load of the suite's first minutes.
@Suite("MedLedger Portal in headless Chromium", .timeLimit(.minutes(10)))
struct PortalBrowserTests {
    static let script = repositoryRoot.appendingPathComponent("Tests/IntegrationTests/Python/portal_browser.py").path
    static let screenshots = repositoryRoot.appendingPathComponent(".build/portal-screenshots").path

    @Test func theStoriesOfEachRoleWorkInABrowserAndTheGateHolds() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let data = directory.url.appending(path: "data")
        let logs = directory.url.appending(path: "logs")
        let work = directory.url.appending(path: "work")
        for folder in [logs, work] { try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true) }
        let node = try await NodeProcess.dev(dataDirectory: data, logs: logs, name: "dev")

        // Under nice, like the soak: Chromium, five portals and the HTML checker's JVM must not
        // starve the suites that run beside them on CI's two cores.
        let run = try await runProcess(
            [
                "nice", "-n", "10", "python3", Self.script, "--medledger", NodeProcess.medledger, "--address", "127.0.0.1:\(node.address.port)",
                "--identities", data.appending(path: "identities").path, "--work", work.path, "--screenshots", Self.screenshots,
            ], timeout: .seconds(540))
        #expect(await node.stop(SIGTERM) == 0, "dev exits 0 on SIGTERM\n\(node.log)")
        try #require(run.status == 0, "portal_browser.py failed\n\(run.summary)")
        let seen = try #require(try JSONSerialization.jsonObject(with: Data(run.standardOutput.utf8)) as? [String: Any], "\(run.summary)")

        #expect(seen["listening"] as? [String] == ["0100007F"], "the portal must listen on 127.0.0.1 only")
        let refused = seen["refused"] as? [String: Int] ?? [:]
        #expect(refused == ["noToken": 401, "wrongToken": 401, "otherPortalsToken": 401, "noCSRF": 403, "wrongCSRF": 403, "otherOrigin": 403, "otherHost": 403])
        #expect((seen["timelineAfterRead"] as? String ?? "").contains("clinician dr-bob@HospitalBMSP — open of lab-1 (TREAT): permit"))
        #expect((seen["deniedAfterRevoke"] as? String ?? "").hasPrefix("deny: no active consent"))
        let breakGlass = seen["breakGlass"] as? [String: String] ?? [:]
        #expect(breakGlass["decision"]?.hasPrefix("Permitted: break-glass: Unconscious in ER <script>") == true, "\(breakGlass)")
        #expect((seen["liveAlert"] as? String ?? "").contains("clinician dr-bob@HospitalBMSP read lab-1"))
        #expect((seen["verified"] as? String ?? "").hasPrefix("Verified: "))
        #expect((seen["validHTML"] as? [String] ?? []).count >= 10, "every screen checked goes through the W3C validator")
        #expect(seen["withoutJavaScript"] as? String == "upload-2 uploaded by dr-alice and opened by patient-1")
        let export = seen["export"] as? [String: Any] ?? [:]
        #expect(export["lines"] as? Int == 2 && export["answers"] as? String == "1 approved, 0 declined, 0 withdrawn", "\(export)")
        for shot in ["patient-records", "patient-timeline", "clinician-break-glass", "patient-break-glass-timeline", "auditor-channel", "auditor-verified"] {
            #expect(FileManager.default.fileExists(atPath: "\(Self.screenshots)/\(shot).png"), "no screenshot \(shot)")
        }
    }
}
