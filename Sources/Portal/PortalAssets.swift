internal import HTTPTypes
internal import Hummingbird
internal import NIOCore

/// The portal's stylesheet and script, compiled into the binary: no CDN, no external font.
enum PortalAssets {
    /// The response for `/assets/NAME`, or nil.
    static func response(for path: String) -> Response? {
        let asset: (body: String, type: String)? =
            switch path {
            case "/assets/portal.css": (stylesheet, "text/css; charset=utf-8")
            case "/assets/portal.js": (script, "text/javascript; charset=utf-8")
            default: nil
            }
        guard let asset else { return nil }
        return Response(
            status: .ok, headers: [.contentType: asset.type, .cacheControl: "private, max-age=300"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: asset.body)))
    }

    static let stylesheet = """
        :root { color-scheme: light; --ink: #1a202c; --muted: #4a5568; --accent: #2b6cb0; --danger: #9b2c2c; --ok: #276749; }
        * { box-sizing: border-box; }
        body { margin: 0; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--ink); background: #fff; }
        .skip { position: absolute; left: -999px; } .skip:focus { left: 8px; top: 8px; background: #fff; padding: 4px; }
        header { display: flex; flex-wrap: wrap; gap: 1rem; align-items: center; padding: .75rem 1.5rem; background: #1a365d; color: #fff; }
        header .brand { font-weight: 700; font-size: 1.2rem; } header .who { color: #e2e8f0; }
        nav ul { display: flex; flex-wrap: wrap; gap: .25rem 1rem; margin: 0; padding: 0; list-style: none; }
        header nav a { color: #fff; } header nav a[aria-current="page"] { font-weight: 700; text-decoration-thickness: 3px; }
        main { max-width: 72rem; padding: 1rem 1.5rem 3rem; }
        footer { padding: 1rem 1.5rem; color: var(--muted); font-size: .875rem; border-top: 1px solid #e2e8f0; }
        a { color: var(--accent); } a:focus, button:focus, input:focus, select:focus, textarea:focus { outline: 3px solid #f6ad55; outline-offset: 2px; }
        table { border-collapse: collapse; width: 100%; margin: 1rem 0; } caption { text-align: left; font-weight: 600; padding: .25rem 0; }
        th, td { text-align: left; padding: .4rem .5rem; border-bottom: 1px solid #e2e8f0; vertical-align: top; } th { background: #f7fafc; }
        tr.erased td, tr.revoked td { color: var(--muted); } tr.invalid td { background: #fff5f5; }
        code { font-size: .875rem; word-break: break-all; }
        form.stacked { display: grid; gap: .35rem; max-width: 36rem; margin: 1.5rem 0; } form.inline { display: inline; }
        fieldset { border: 1px solid #cbd5e0; display: grid; gap: .35rem; }
        input, select, textarea, button { font: inherit; padding: .35rem .5rem; }
        button { background: var(--accent); color: #fff; border: 0; border-radius: 4px; cursor: pointer; }
        button.danger, button.revoke { background: var(--danger); }
        .breakglass { border-left: 6px solid var(--danger); background: #fff5f5; padding: .5rem 1rem; margin: 1rem 0; }
        mark { background: #fefcbf; color: var(--ink); }
        .decision.permit { color: var(--ok); font-weight: 600; } .decision.deny, .error { color: var(--danger); font-weight: 600; }
        .notice { background: #ebf8ff; border-left: 6px solid var(--accent); padding: .5rem 1rem; }
        ol.timeline { list-style: none; padding: 0; } ol.timeline li { border-left: 4px solid #cbd5e0; padding: .25rem 1rem; margin: .5rem 0; }
        ol.timeline li.permit { border-color: var(--ok); } ol.timeline li.deny { border-color: #a0aec0; }
        ol.timeline li.break-glass { border-color: var(--danger); background: #fff5f5; }
        .justification { margin: .25rem 0; }
        pre.fhir { background: #f7fafc; border: 1px solid #e2e8f0; padding: 1rem; overflow: auto; max-height: 32rem; }
        dl.meta { display: grid; grid-template-columns: max-content 1fr; gap: .25rem 1rem; } dl.meta dt { font-weight: 600; }
        ul.keys { margin: 0; padding-left: 1rem; }
        #alerts p { margin: 0; padding: .75rem 1.5rem; background: var(--danger); color: #fff; font-weight: 600; }
        progress { width: 100%; max-width: 36rem; height: 1.25rem; }
        """

    /// Live break-glass alerts (Server-Sent Events) and an upload progress bar; every page works without it.
    static let script = """
        "use strict";
        (function () {
          document.documentElement.dataset.js = "on";
          var alertsURL = document.body.dataset.alerts;
          if (alertsURL && window.EventSource) {
            var source = new EventSource(alertsURL);
            source.addEventListener("breakglass", function (event) {
              var notice = JSON.parse(event.data);
              var line = document.createElement("p");
              line.setAttribute("role", "alert");
              line.className = "breakglass-alert";
              line.textContent = "Emergency access: " + notice.reader + " read " + notice.recordID + " — " + notice.justification +
                " (until " + notice.expires + ")";
              document.getElementById("alerts").prepend(line);
            });
          }
          var form = document.getElementById("upload-form");
          if (form && window.FormData) {
            form.addEventListener("submit", function (event) {
              event.preventDefault();
              var progress = document.getElementById("upload-progress");
              var status = document.getElementById("upload-status");
              var request = new XMLHttpRequest();
              request.open("POST", form.action);
              progress.hidden = false;
              request.upload.addEventListener("progress", function (step) {
                if (step.lengthComputable) { progress.value = Math.round(100 * step.loaded / step.total); }
              });
              request.addEventListener("load", function () {
                if (request.status >= 200 && request.status < 300) { window.location.assign(request.responseURL); return; }
                var page = new DOMParser().parseFromString(request.responseText, "text/html");
                var message = page.getElementById("error-message");
                status.textContent = "Upload failed: " + (message ? message.textContent : "HTTP " + request.status);
              });
              request.addEventListener("error", function () { status.textContent = "Upload failed: the portal did not answer."; });
              status.textContent = "Encrypting and uploading…";
              request.send(new FormData(form));
            });
          }
        })();
        """
}
