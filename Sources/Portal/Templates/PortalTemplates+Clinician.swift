extension PortalTemplates {
    static let patients = """
        {{<layout}}{{$content}}
        <table id="patients">
        <caption>Patients of {{user.mspID}}</caption>
        <thead><tr><th scope="col">Patient ID</th><th scope="col">Identity</th><th scope="col">Registered by</th><th scope="col">Registered</th></tr></thead>
        <tbody>
        {{#patients}}<tr><td><a href="/patients/{{path}}">{{patientID}}</a></td><td>{{enrollmentID}}@{{mspID}}</td><td>{{registeredBy}}</td><td>{{registered}}</td></tr>
        {{/patients}}
        {{^patients}}<tr><td colspan="4">No patients are registered.</td></tr>{{/patients}}
        </tbody>
        </table>
        {{/content}}{{/layout}}
        """

    static let patient = """
        {{<layout}}{{$content}}
        <p>The records of {{patientID}} you may see listed; opening one is decided by the patient's consents, and recorded.</p>
        <table id="records">
        <caption>Records of {{patientID}}</caption>
        <thead><tr><th scope="col">Record</th><th scope="col">Type</th><th scope="col">Category</th><th scope="col">Author</th><th scope="col">Version</th><th scope="col">Added</th></tr></thead>
        <tbody>
        {{#records}}<tr{{#erased}} class="erased"{{/erased}}><td><a href="/records/{{path}}">{{recordID}}</a>{{#erased}} (erased){{/erased}}</td><td>{{resourceType}}</td><td>{{category}}</td><td>{{author}} ({{authorMSP}})</td><td>{{version}}</td><td>{{created}}</td></tr>
        {{/records}}
        {{^records}}<tr><td colspan="6">No records you may list.</td></tr>{{/records}}
        </tbody>
        </table>
        <p><a href="/upload?patient={{patientPath}}">Upload a record for {{patientID}}</a></p>
        {{/content}}{{/layout}}
        """

    static let upload = """
        {{<layout}}{{$content}}
        <p>The file is encrypted here, on this machine, before it is sent to the node; the ledger records its CID and digest.</p>
        <form method="post" action="/upload" enctype="multipart/form-data" class="stacked" id="upload-form">
        <input type="hidden" name="csrf" value="{{csrf}}">
        <label for="patient-id">Patient ID</label><input id="patient-id" name="patientID" required value="{{patientID}}" list="known-patients">
        <datalist id="known-patients">{{#patients}}<option value="{{patientID}}">{{/patients}}</datalist>
        <label for="record-id">Record ID</label><input id="record-id" name="recordID" required pattern="[A-Za-z0-9._:-]+" placeholder="lab-2026-001">
        <label for="category">Category</label><input id="category" name="category" required list="categories" placeholder="lab">
        <datalist id="categories"><option value="lab"><option value="imaging"><option value="note"><option value="prescription"><option value="mental-health"></datalist>
        <label for="resource-type">FHIR resource type (read from the file when empty)</label><input id="resource-type" name="resourceType" placeholder="Observation">
        <label for="previous">Corrects record (optional)</label><input id="previous" name="previousRecordID">
        <label for="file">FHIR JSON file</label><input type="file" id="file" name="file" required accept=".json,application/json,application/fhir+json">
        <progress id="upload-progress" max="100" value="0" hidden></progress>
        <p id="upload-status" role="status"></p>
        <button type="submit" id="upload">Encrypt and upload</button>
        </form>
        {{/content}}{{/layout}}
        """

    static let studies = """
        {{<layout}}{{$content}}
        <table id="studies">
        <caption>Studies of {{user.mspID}}</caption>
        <thead><tr><th scope="col">Study</th><th scope="col">What for</th><th scope="col">Categories</th><th scope="col">Asked by</th><th scope="col">Asked</th><th scope="col">Patients' answers</th><th scope="col">Last export</th><th scope="col"></th></tr></thead>
        <tbody>
        {{#studies}}<tr><td>{{studyID}}</td><td>{{description}}</td><td>{{categories}}</td><td>{{requester}}</td><td>{{requested}}</td><td>{{answers}}</td><td>{{lastExport}}</td>
        <td><form method="post" action="/studies/{{path}}/export"><input type="hidden" name="csrf" value="{{csrf}}"><button type="submit" aria-label="Export study {{studyID}}">Export NDJSON</button></form></td></tr>
        {{/studies}}
        {{^studies}}<tr><td colspan="8">No studies yet.</td></tr>{{/studies}}
        </tbody>
        </table>
        <p>An export carries the de-identified records of the patients whose approval is in force, and is audited per patient.</p>
        <form method="post" action="/studies" class="stacked" id="request-form">
        <h2>Request access for a study</h2>
        <input type="hidden" name="csrf" value="{{csrf}}">
        <label for="study-id">Study ID</label><input id="study-id" name="studyID" required pattern="[A-Za-z0-9._:-]+">
        <label for="description">What the data is for</label><textarea id="description" name="description" required rows="2"></textarea>
        <label for="study-categories">Categories (comma-separated; empty means all)</label><input id="study-categories" name="categories">
        <button type="submit" id="request">Request access</button>
        </form>
        {{/content}}{{/layout}}
        """
}
