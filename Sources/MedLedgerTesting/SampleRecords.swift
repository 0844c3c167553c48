public import Foundation

/// FHIR resources with identifiers the research export must strip.
public enum SampleRecords {
    /// A FHIR R4 glucose Observation of `patient`, with a name, an MRN, a phone number and dates
    /// that de-identification must remove, and `marker` in each so a leak can be found.
    public static func observation(patient: String, marker: String, date: String = "2025-03-14T09:30:00Z") -> Data {
        Data(
            """
            {"resourceType":"Observation","id":"obs-\(marker)","status":"final",\
            "identifier":[{"system":"urn:mrn","value":"MRN-\(marker)"}],\
            "code":{"coding":[{"system":"http://loinc.org","code":"2339-0","display":"Glucose"}]},\
            "subject":{"reference":"Patient/\(patient)","display":"Jane \(marker) Doe"},\
            "performer":[{"reference":"Practitioner/dr-alice","display":"Dr Alice"}],\
            "effectiveDateTime":"\(date)","issued":"2025-03-14T10:00:00Z",\
            "valueQuantity":{"value":5.4,"unit":"mmol/L","system":"http://unitsofmeasure.org","code":"mmol/L"},\
            "note":[{"text":"called Jane at 555-0100 about \(marker)"}]}
            """.utf8)
    }
}
