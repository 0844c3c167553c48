/// The portal's Mustache templates, compiled into the binary (no file is read at run time). Every
/// value is written with `{{…}}`, which escapes `<`, `>`, `&`, `"` and `'`; none uses `{{{…}}}`.
enum PortalTemplates {
    static var all: [String: String] {
        [
            "layout": layout, "error": error,
            "records": records, "record": record, "opened": opened, "audit": audit, "consents": consents, "research": research,
            "patients": patients, "patient": patient, "upload": upload,
            "studies": studies,
            "explorer": explorer, "channel": channel, "block": block, "verify": verify,
        ]
    }

    static let layout = """
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        {{#refresh}}<meta http-equiv="refresh" content="{{refresh}}">{{/refresh}}
        <title>{{title}} · MedLedger</title>
        <link rel="stylesheet" href="/assets/portal.css">
        <script src="/assets/portal.js" defer></script>
        </head>
        <body{{#alertsStream}} data-alerts="{{alertsStream}}"{{/alertsStream}}>
        <a class="skip" href="#main">Skip to the content</a>
        <header>
        <span class="brand">MedLedger</span>
        {{#user}}<span class="who">{{enrollmentID}} · {{role}} of {{mspID}}</span>{{/user}}
        <nav aria-label="Main"><ul>{{#nav}}<li><a href="{{path}}"{{#current}} aria-current="page"{{/current}}>{{label}}</a></li>{{/nav}}</ul></nav>
        </header>
        <div id="alerts" aria-live="assertive"></div>
        <main id="main">
        {{#notice}}<p class="notice" role="status">{{notice}}</p>{{/notice}}
        <h1>{{title}}</h1>
        {{$content}}{{/content}}
        </main>
        <footer>Every action is a call of the ledger: it decides and audits; this portal signs with your key on this machine.</footer>
        </body>
        </html>
        """

    static let error = """
        {{<layout}}{{$content}}
        <p class="error" id="error-message" role="alert">{{message}}</p>
        <p>HTTP status {{status}}.{{#signedIn}} <a href="/">Back to the start page</a>.{{/signedIn}}</p>
        {{/content}}{{/layout}}
        """
}
