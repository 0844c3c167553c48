extension PortalTemplates {
    static let records = """
        {{<layout}}{{$content}}
        {{#unregistered}}<p>Your identity {{enrollmentID}} is not registered as a patient on channel {{channel}}: your hospital registers you.</p>{{/unregistered}}
        {{#patientID}}<p>Patient ID <code id="patient-id">{{patientID}}</code></p>{{/patientID}}
        {{#hasAlerts}}<section class="breakglass" aria-labelledby="bg-heading"><h2 id="bg-heading">Emergency (break-glass) reads</h2>
        <ul>{{#alerts}}<li>{{time}}: {{reader}} read {{recordID}} — “<mark>{{justification}}</mark>”</li>{{/alerts}}</ul>
        <p><a href="/audit">See all reads</a></p></section>{{/hasAlerts}}
        <table id="records">
        <caption>Your health records</caption>
        <thead><tr><th scope="col">Record</th><th scope="col">Type</th><th scope="col">Category</th><th scope="col">Author</th><th scope="col">Version</th><th scope="col">Added</th></tr></thead>
        <tbody>
        {{#records}}<tr{{#erased}} class="erased"{{/erased}}><td><a href="/records/{{path}}">{{recordID}}</a>{{#erased}} (erased){{/erased}}</td><td>{{resourceType}}</td><td>{{category}}</td><td>{{author}} ({{authorMSP}})</td><td>{{version}}</td><td>{{created}}</td></tr>
        {{/records}}
        {{^records}}<tr><td colspan="6">No records.</td></tr>{{/records}}
        </tbody>
        </table>
        {{/content}}{{/layout}}
        """

    /// Asking to open a record: a patient opens their own; a clinician gives a purpose, or breaks the glass.
    static let record = """
        {{<layout}}{{$content}}
        <p>Opening a record is decided and recorded on the ledger{{#patient}}; the record is decrypted here, on this machine{{/patient}}.</p>
        <form method="post" action="/records/{{path}}/open" class="stacked" id="open-form">
        <input type="hidden" name="csrf" value="{{csrf}}">
        <input type="hidden" name="purpose" value="TREAT">
        <button type="submit" id="open">Open {{recordID}}{{^patient}} for treatment{{/patient}}</button>
        </form>
        {{^patient}}
        <form method="post" action="/records/{{path}}/open" class="stacked breakglass" id="breakglass-form">
        <h2>Emergency access (break-glass)</h2>
        <p>Use only in an emergency. The read is recorded with your justification, the patient and their hospital are notified, and the access lasts a limited time (its expiry is shown after the read).</p>
        <input type="hidden" name="csrf" value="{{csrf}}">
        <input type="hidden" name="purpose" value="ETREAT">
        <label for="justification">Justification (required)</label>
        <textarea id="justification" name="justification" required minlength="10" rows="3"></textarea>
        <button type="submit" class="danger" id="break-glass">Break the glass and open {{recordID}}</button>
        </form>
        {{/patient}}
        {{/content}}{{/layout}}
        """

    static let opened = """
        {{<layout}}{{$content}}
        <p class="decision {{outcome}}" id="decision" role="status">{{outcomeText}}: {{rule}}</p>
        {{#breakGlass}}<p class="breakglass" id="breakglass-expiry">Emergency access{{#expires}} until {{expires}}{{/expires}}. This read is recorded with your justification and the patient is notified.</p>{{/breakGlass}}
        <p>Audit event (transaction) <code>{{txID}}</code></p>
        {{#record}}
        <dl class="meta">
        <dt>Type</dt><dd>{{resourceType}}</dd><dt>Category</dt><dd>{{category}}</dd><dt>Author</dt><dd>{{author}} ({{authorMSP}})</dd>
        <dt>Version</dt><dd>{{version}}</dd><dt>Added</dt><dd>{{created}}</dd><dt>SHA-256</dt><dd><code>{{plaintextSHA256}}</code></dd>
        </dl>
        <form method="post" action="/records/{{path}}/download">
        <input type="hidden" name="csrf" value="{{csrf}}"><input type="hidden" name="purpose" value="{{purpose}}">
        {{#justification}}<input type="hidden" name="justification" value="{{justification}}">{{/justification}}
        <button type="submit" id="download">Download the FHIR JSON (another audited read)</button>
        </form>
        <pre class="fhir" id="fhir" tabindex="0" aria-label="The record as FHIR JSON">{{json}}</pre>
        {{/record}}
        {{/content}}{{/layout}}
        """

    static let audit = """
        {{<layout}}{{$content}}
        <p>Every read of your records, allowed or denied, as the ledger recorded it. Emergency reads are highlighted.</p>
        <ol class="timeline" id="timeline">
        {{#events}}<li class="event {{outcome}} {{action}}">
        <time datetime="{{datetime}}">{{time}}</time> <strong>{{reader}}</strong> — {{action}} {{#recordID}}of {{recordID}}{{/recordID}}{{#studyID}}for study {{studyID}}{{/studyID}} ({{purpose}}):
        <span class="outcome">{{outcome}}</span> <span class="rule">{{rule}}</span>
        {{#justification}}<p class="justification">Justification: <mark>{{justification}}</mark></p>{{/justification}}
        </li>
        {{/events}}
        {{^events}}<li>No one has read your records.</li>{{/events}}
        </ol>
        {{/content}}{{/layout}}
        """

    static let consents = """
        {{<layout}}{{$content}}
        <table id="consents">
        <caption>Your consents</caption>
        <thead><tr><th scope="col">Consent</th><th scope="col">Grantee</th><th scope="col">Purposes</th><th scope="col">Categories</th><th scope="col">Except</th><th scope="col">Period</th><th scope="col">Status</th><th scope="col"></th></tr></thead>
        <tbody>
        {{#consents}}<tr class="{{status}}"><td><code>{{consentID}}</code>{{#studyID}} (study {{studyID}}){{/studyID}}</td><td>{{grantee}}</td><td>{{purposes}}</td><td>{{categories}}</td><td>{{excluded}}</td><td>{{period}}</td><td>{{status}}</td>
        <td>{{#active}}<form method="post" action="/consents/{{path}}/revoke"><input type="hidden" name="csrf" value="{{csrf}}"><button type="submit" class="revoke" aria-label="Revoke consent {{consentID}}">Revoke</button></form>{{/active}}</td></tr>
        {{/consents}}
        {{^consents}}<tr><td colspan="8">No consents.</td></tr>{{/consents}}
        </tbody>
        </table>
        <form method="post" action="/consents" class="stacked" id="grant-form">
        <h2>Grant a consent</h2>
        <input type="hidden" name="csrf" value="{{csrf}}">
        <fieldset><legend>Who may read</legend>
        <label for="grantee-kind">Grantee</label>
        <select id="grantee-kind" name="kind"><option value="organization">A whole organisation</option><option value="role">One role in an organisation</option><option value="identity">One person</option></select>
        <label for="grantee-msp">Organisation (MSP ID)</label><input id="grantee-msp" name="mspID" required placeholder="HospitalBMSP">
        <label for="grantee-role">Role (for one role)</label><input id="grantee-role" name="role" placeholder="clinician">
        <label for="grantee-id">Enrollment ID (for one person)</label><input id="grantee-id" name="enrollmentID" placeholder="dr-bob">
        </fieldset>
        <fieldset><legend>Purposes</legend>
        <label><input type="checkbox" name="purposes" value="TREAT" checked> Treatment</label>
        <label><input type="checkbox" name="purposes" value="ETREAT"> Emergency treatment</label>
        </fieldset>
        <label for="categories">Categories (comma-separated; empty means all)</label><input id="categories" name="categories" placeholder="lab, imaging">
        <label for="excluded">Except these categories</label><input id="excluded" name="excluded" placeholder="mental-health">
        <label for="period-start">From (optional)</label><input type="date" id="period-start" name="periodStart">
        <label for="period-end">Until, this day included (optional)</label><input type="date" id="period-end" name="periodEnd">
        <button type="submit" id="grant">Grant</button>
        </form>
        {{/content}}{{/layout}}
        """

    static let research = """
        {{<layout}}{{$content}}
        <p>Researchers ask to use de-identified records for a study. Approving gives the study's organisation a research consent, which you can revoke under Consents.</p>
        <table id="requests">
        <caption>Research requests</caption>
        <thead><tr><th scope="col">Study</th><th scope="col">Organisation</th><th scope="col">What for</th><th scope="col">Categories</th><th scope="col">Your answer</th><th scope="col"></th></tr></thead>
        <tbody>
        {{#requests}}<tr><td>{{studyID}}</td><td>{{mspID}}</td><td>{{description}}</td><td>{{categories}}</td><td>{{answer}}</td>
        <td><form method="post" action="/research/{{path}}/respond" class="inline"><input type="hidden" name="csrf" value="{{csrf}}">
        <button type="submit" name="decision" value="approve">Approve</button> <button type="submit" name="decision" value="decline">Decline</button></form></td></tr>
        {{/requests}}
        {{^requests}}<tr><td colspan="6">No research requests.</td></tr>{{/requests}}
        </tbody>
        </table>
        {{/content}}{{/layout}}
        """
}
