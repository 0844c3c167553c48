import EHRModel
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import Synchronization
@testable import Portal
import Testing

@Suite("Portal pages, sessions and the gate's pure checks")
struct PortalPagesTests {
    static let hostile = #"<script>alert("x")</script> & 'quoted' <img src=x onerror=1>"#
    let pages: PortalPages

    init() throws {
        pages = try PortalPages(user: Reader(mspID: "HospitalAMSP", enrollmentID: "patient-1", role: "patient"))
    }

    func html(_ response: Response) async throws -> String {
        var body = Data()
        let writer = CollectingWriter()
        try await response.body.write(writer)
        body = writer.collected.withLock { $0 }
        return String(decoding: body, as: UTF8.self)
    }

    @Test("Ledger text is escaped in every template that shows it: no markup, no attribute break-out")
    func hostileTextIsEscaped() async throws {
        let event: [String: Any] = [
            "time": "t", "reader": Self.hostile, "action": "break-glass", "purpose": "ETREAT", "outcome": "permit", "rule": Self.hostile,
            "recordID": Self.hostile, "justification": Self.hostile,
        ]
        let record: [String: Any] = ["recordID": Self.hostile, "path": Self.hostile, "resourceType": Self.hostile, "category": Self.hostile]
        let cases: [(String, [String: Any])] = [
            ("audit", ["events": [event]]),
            ("records", ["patientID": Self.hostile, "records": [record], "alerts": [event], "hasAlerts": true]),
            ("research", ["requests": [["studyID": Self.hostile, "path": Self.hostile, "description": Self.hostile, "mspID": "X", "categories": "all"]]]),
            ("opened", ["rule": Self.hostile, "outcome": "permit", "txID": "t", "justification": Self.hostile, "breakGlass": true, "record": record]),
        ]
        for (template, data) in cases {
            let text = try await html(pages.page(template, title: Self.hostile, screen: nil, csrfToken: "c", data: data))
            #expect(!text.contains("<script>alert"), "\(template) shows a script element")
            #expect(!text.contains("<img src=x"), "\(template) shows an img element")
            #expect(!text.contains(#"alert("x")"#), "\(template) leaves a quote unescaped")
            #expect(text.contains("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;quoted&#39;"), "\(template) does not show the text escaped")
        }
    }

    @Test("Every page names the portal's own script and stylesheet only")
    func resourcesComeFromThePortal() async throws {
        let text = try await html(pages.page("consents", title: "Consents", screen: .consents, csrfToken: "c"))
        #expect(text.contains(#"<script src="/assets/portal.js" defer></script>"#))
        #expect(text.contains(#"<link rel="stylesheet" href="/assets/portal.css">"#))
        #expect(!text.contains("http://") && !text.contains("https://"))
        #expect(text.contains(#"<input type="hidden" name="csrf" value="c">"#))
        #expect(PortalAssets.response(for: "/assets/portal.js") != nil && PortalAssets.response(for: "/assets/other.js") == nil)
    }

    @Test("Sessions: only the access token opens one; each has its own CSRF token; the oldest go first")
    func sessions() {
        let sessions = PortalSessions()
        #expect(sessions.accessToken.count == 64)
        #expect(sessions.isAccessToken(sessions.accessToken) && !sessions.isAccessToken(String(repeating: "0", count: 64)))
        let first = sessions.open()
        let second = sessions.open()
        #expect(first != second)
        #expect(sessions.csrfToken(ofSession: first) != nil && sessions.csrfToken(ofSession: first) != sessions.csrfToken(ofSession: second))
        #expect(sessions.csrfToken(ofSession: "forged") == nil)
        for _ in 0..<PortalSessions.capacity { _ = sessions.open() }
        #expect(sessions.csrfToken(ofSession: first) == nil)
        #expect(PortalSessions.cookieName(port: 8800) != PortalSessions.cookieName(port: 8801))
    }

    @Test("The gate answers only loopback names (DNS rebinding)")
    func loopbackHosts() {
        #expect(PortalGate.isLoopbackHost("127.0.0.1:8800") && PortalGate.isLoopbackHost("localhost:8800") && PortalGate.isLoopbackHost("LOCALHOST"))
        #expect(!PortalGate.isLoopbackHost("evil.example:8800") && !PortalGate.isLoopbackHost("127.0.0.1.evil.example:8800"))
        #expect(!PortalGate.isLoopbackHost("") && !PortalGate.isLoopbackHost("[::1]:8800"))
    }

    @Test("Date fields are days at 00:00 UTC; anything else is refused naming the field")
    func days() throws {
        #expect(try PortalFormat.day("2026-12-31", field: "periodEnd") == 1_798_675_200)
        #expect(try PortalFormat.day(nil, field: "periodEnd") == nil)
        #expect(throws: PortalRefusal.self) { try PortalFormat.day("31/12/2026", field: "periodEnd") }
    }

    @Test("The activity chart counts transactions and blocks per minute over the last 30 minutes")
    func chart() {
        let values = ActivityChart.values(of: [], now: Date(timeIntervalSince1970: 3600))
        let bars = values["bars"] as? [[String: Any]] ?? []
        #expect(bars.count == ActivityChart.minutes)
        #expect(bars.allSatisfy { $0["transactions"] as? Int == 0 })
        #expect(values["title"] as? String == "00:31 to 01:00 UTC, over the 0 newest blocks")
    }
}

/// Collects a response body's bytes.
final class CollectingWriter: ResponseBodyWriter, Sendable {
    let collected = Mutex(Data())

    func write(_ buffer: ByteBuffer) async throws {
        collected.withLock { $0.append(contentsOf: buffer.readableBytesView) }
    }

    func finish(_ trailingHeaders: HTTPFields?) async throws {}
}
