import Foundation
@testable import Portal
import Testing

@Suite("PortalForm: url-encoded and multipart bodies")
struct PortalFormTests {
    @Test("url-encoded: + is a space, %XX a byte, repeated names keep every value")
    func urlEncoded() throws {
        let form = try PortalForm(body: Data("a=two+words&b=%3Cscript%3E&p=TREAT&p=ETREAT&empty=".utf8), contentType: "application/x-www-form-urlencoded")
        #expect(form["a"] == "two words")
        #expect(form["b"] == "<script>")
        #expect(form.values("p") == ["TREAT", "ETREAT"])
        #expect(form["empty"] == nil)
    }

    @Test("multipart: fields and a file, the file's bytes exactly")
    func multipart() throws {
        let file = Data("{\"resourceType\":\"Observation\"}\r\n--not-the-boundary".utf8)
        var body = Data("--XyZ\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\nabc\r\n".utf8)
        body += Data("--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"obs.json\"\r\nContent-Type: application/json\r\n\r\n".utf8)
        body += file + Data("\r\n--XyZ--\r\n".utf8)
        let form = try PortalForm(body: body, contentType: "multipart/form-data; boundary=XyZ")
        #expect(form["csrf"] == "abc")
        #expect(form.file("file")?.filename == "obs.json")
        #expect(form.file("file")?.data == file)
    }

    @Test("malformed bodies are refused by name")
    func malformed() {
        #expect(throws: PortalFormError.self) { try PortalForm(body: Data("x".utf8), contentType: "text/plain") }
        #expect(throws: PortalFormError.self) { try PortalForm(body: Data("x".utf8), contentType: "multipart/form-data") }
        #expect(throws: PortalFormError.self) {
            try PortalForm(body: Data("--B\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nno end".utf8), contentType: "multipart/form-data; boundary=B")
        }
    }
}
