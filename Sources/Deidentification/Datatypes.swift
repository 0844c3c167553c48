/// The R4 datatypes an export keeps, each reduced to its non-identifying elements: codes and
/// codings, quantities, ranges, ratios, periods (as years), timings and dosages. Every `text`,
/// `display`, `id` and `extension` is left out.
enum Datatypes {
    static let codeableConcept = Structure(name: "CodeableConcept", elements: ["coding": .many(.coding)])

    static let period = Structure(name: "Period", elements: ["start": .one(.year), "end": .one(.year)])

    static let range = Structure(name: "Range", elements: ["low": .one(.quantity(.simple)), "high": .one(.quantity(.simple))])

    static let ageRange = Structure(name: "Range", elements: ["low": .one(.quantity(.age)), "high": .one(.quantity(.age))])

    static let ratio = Structure(
        name: "Ratio", elements: ["numerator": .one(.quantity(.quantity)), "denominator": .one(.quantity(.quantity))])

    static let timing = Structure(
        name: "Timing",
        elements: ["event": .many(.year), "repeat": .one(.structure(timingRepeat)), "code": .one(.structure(codeableConcept))])

    static let timingRepeat = Structure(
        name: "Timing.repeat",
        elements: [
            "boundsDuration": .one(.quantity(.duration)), "boundsRange": .one(.structure(range)),
            "boundsPeriod": .one(.structure(period)), "count": .one(.integer(minimum: 1)),
            "countMax": .one(.integer(minimum: 1)), "duration": .one(.decimal), "durationMax": .one(.decimal),
            "durationUnit": .one(.code(timeUnits)), "frequency": .one(.integer(minimum: 1)),
            "frequencyMax": .one(.integer(minimum: 1)), "period": .one(.decimal), "periodMax": .one(.decimal),
            "periodUnit": .one(.code(timeUnits)), "dayOfWeek": .many(.code(["mon", "tue", "wed", "thu", "fri", "sat", "sun"])),
            "when": .many(.code(eventTimings)), "offset": .one(.integer(minimum: 0)),
        ])

    static let dosage = Structure(
        name: "Dosage",
        elements: [
            "sequence": .one(.integer(minimum: Int(Int32.min))),
            "additionalInstruction": .many(.structure(codeableConcept)), "timing": .one(.structure(timing)),
            "asNeededBoolean": .one(.boolean), "asNeededCodeableConcept": .one(.structure(codeableConcept)),
            "site": .one(.structure(codeableConcept)), "route": .one(.structure(codeableConcept)),
            "method": .one(.structure(codeableConcept)), "doseAndRate": .many(.structure(doseAndRate)),
            "maxDosePerPeriod": .one(.structure(ratio)), "maxDosePerAdministration": .one(.quantity(.simple)),
            "maxDosePerLifetime": .one(.quantity(.simple)),
        ])

    static let doseAndRate = Structure(
        name: "Dosage.doseAndRate",
        elements: [
            "type": .one(.structure(codeableConcept)), "doseRange": .one(.structure(range)),
            "doseQuantity": .one(.quantity(.simple)), "rateRatio": .one(.structure(ratio)),
            "rateRange": .one(.structure(range)), "rateQuantity": .one(.quantity(.simple)),
        ])

    /// What of an attachment may leave: its media type and language (codes), its size and the
    /// year it was made. Never its data, URL, title or hash (a hash of known text identifies it).
    static let attachment = Structure(
        name: "Attachment",
        elements: [
            "contentType": .one(.code(mediaTypes)), "language": .one(.code(languages)),
            "size": .one(.integer(minimum: 0)), "creation": .one(.year),
        ])

    /// R4 `units-of-time`.
    static let timeUnits: Set<String> = ["s", "min", "h", "d", "wk", "mo", "a"]

    /// R4 `event-timing` (v3 TimingEvent codes and the FHIR additions).
    static let eventTimings: Set<String> = [
        "MORN", "MORN.early", "MORN.late", "NOON", "AFT", "AFT.early", "AFT.late", "EVE", "EVE.early", "EVE.late",
        "NIGHT", "PHS", "HS", "WAKE", "C", "CM", "CD", "CV", "AC", "ACM", "ACD", "ACV", "PC", "PCM", "PCD", "PCV",
    ]

    /// Media types an exported attachment may name (the registry is open; these are the ones
    /// clinical documents use).
    static let mediaTypes: Set<String> = [
        "text/plain", "text/html", "text/xml", "text/csv", "application/pdf", "application/xml", "application/json",
        "application/fhir+json", "application/fhir+xml", "application/hl7-v2", "application/dicom", "image/jpeg",
        "image/png", "image/tiff", "image/gif", "audio/mpeg", "audio/wav", "video/mp4", "application/octet-stream",
    ]

    /// Common BCP 47 language tags.
    static let languages: Set<String> = [
        "ar", "bn", "cs", "da", "de", "de-AT", "de-CH", "de-DE", "el", "en", "en-AU", "en-CA", "en-GB", "en-IN", "en-NZ",
        "en-SG", "en-US", "es", "es-AR", "es-ES", "es-UY", "fi", "fr", "fr-BE", "fr-CH", "fr-FR", "fy", "fy-NL", "hi",
        "hr", "it", "it-CH", "it-IT", "ja", "ko", "nl", "nl-BE", "nl-NL", "no", "no-NO", "pa", "pl", "pt", "pt-BR", "ru",
        "ru-RU", "sr", "sr-RS", "sv", "sv-SE", "te", "zh", "zh-CN", "zh-HK", "zh-SG", "zh-TW",
    ]
}
