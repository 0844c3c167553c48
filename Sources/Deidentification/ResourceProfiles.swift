internal import Wire

/// Per resource type, the elements of an R4 resource that may leave a research export: its
/// structure, codes, quantities, reference ranges and status, with dates as years. A resource
/// type without a profile here is not exported at all.
enum ResourceProfiles {
    static func profile(for resourceType: String) -> Structure? { byType[resourceType] }

    /// The resource types an export can carry.
    static var exportableTypes: [String] { byType.keys.sorted() }

    private static let byType: [String: Structure] = Dictionary(
        uniqueKeysWithValues: [
            observation, diagnosticReport, condition, procedure, immunization, allergyIntolerance, documentReference,
            patient, MedicationProfiles.medicationRequest,
        ].map { ($0.name, $0) })

    static let concept = ElementRule.one(.structure(Datatypes.codeableConcept))
    static let concepts = ElementRule.many(.structure(Datatypes.codeableConcept))
    static let period = ElementRule.one(.structure(Datatypes.period))

    /// An `onset[x]`-like choice (`onset`, `abatement`, `performed`): a dateTime, an age, a
    /// period or an age range — never its string variant.
    static func clinicalTime(_ stem: String) -> [String: ElementRule] {
        [
            "\(stem)DateTime": .one(.year), "\(stem)Age": .one(.quantity(.age)), "\(stem)Period": period,
            "\(stem)Range": .one(.structure(Datatypes.ageRange)),
        ]
    }

    /// Observation's `value[x]` without `valueString` and `valueTime`.
    static let observationValue: [String: ElementRule] = [
        "valueQuantity": .one(.quantity(.quantity)), "valueCodeableConcept": concept, "valueBoolean": .one(.boolean),
        "valueInteger": .one(.integer(minimum: Int(Int32.min))), "valueRange": .one(.structure(Datatypes.range)),
        "valueRatio": .one(.structure(Datatypes.ratio)), "valueSampledData": .one(.sampledData),
        "valueDateTime": .one(.year), "valuePeriod": period,
    ]

    static let referenceRange = Structure(
        name: "Observation.referenceRange",
        elements: [
            "low": .one(.quantity(.simple)), "high": .one(.quantity(.simple)), "type": concept, "appliesTo": concepts,
            "age": .one(.structure(Datatypes.ageRange)),
        ],
        isBackbone: true)

    static let observationStatus: Set<String> = [
        "registered", "preliminary", "final", "amended", "corrected", "cancelled", "entered-in-error", "unknown",
    ]

    static let observation = Structure(
        name: "Observation",
        elements: observationValue.merging([
            "status": .one(.code(observationStatus)), "category": concepts, "code": concept, "subject": .one(.patient),
            "effectiveDateTime": .one(.year), "effectivePeriod": period,
            "effectiveTiming": .one(.structure(Datatypes.timing)),
            "effectiveInstant": .one(.moved(into: "effectiveDateTime", .instantYear)), "dataAbsentReason": concept,
            "interpretation": concepts, "bodySite": concept, "method": concept,
            "referenceRange": .many(.structure(referenceRange)), "component": .many(.structure(observationComponent)),
        ]) { $1 },
        required: [.element("status"), .element("code")])

    static let observationComponent = Structure(
        name: "Observation.component",
        elements: observationValue.merging([
            "code": concept, "dataAbsentReason": concept, "interpretation": concepts,
            "referenceRange": .many(.structure(referenceRange)),
        ]) { $1 },
        required: [.element("code")], isBackbone: true)

    static let diagnosticReport = Structure(
        name: "DiagnosticReport",
        elements: [
            "status": .one(.code(observationStatus.union(["partial", "appended"]))), "category": concepts, "code": concept,
            "subject": .one(.patient), "effectiveDateTime": .one(.year), "effectivePeriod": period,
            "conclusionCode": concepts,
        ],
        required: [.element("status"), .element("code")])

    static let condition = Structure(
        name: "Condition",
        elements: clinicalTime("onset").merging(clinicalTime("abatement")) { $1 }.merging([
            "clinicalStatus": concept, "verificationStatus": concept, "category": concepts, "severity": concept,
            "code": concept, "bodySite": concepts, "subject": .one(.patient), "recordedDate": .one(.year),
            "stage": .many(.structure(Structure(name: "Condition.stage", elements: ["summary": concept, "type": concept], isBackbone: true))),
            "evidence": .many(.structure(Structure(name: "Condition.evidence", elements: ["code": concepts], isBackbone: true))),
        ]) { $1 },
        required: [.element("subject")])

    static let procedure = Structure(
        name: "Procedure",
        elements: clinicalTime("performed").merging([
            "status": .one(
                .code(["preparation", "in-progress", "not-done", "on-hold", "stopped", "completed", "entered-in-error", "unknown"])),
            "statusReason": concept, "category": concept, "code": concept, "subject": .one(.patient), "reasonCode": concepts,
            "bodySite": concepts, "outcome": concept, "complication": concepts, "followUp": concepts, "usedCode": concepts,
        ]) { $1 },
        required: [.element("status"), .element("subject")])

    static let immunization = Structure(
        name: "Immunization",
        elements: [
            "status": .one(.code(["completed", "entered-in-error", "not-done"])), "statusReason": concept,
            "vaccineCode": concept, "patient": .one(.patient), "occurrenceDateTime": .one(.year),
            "occurrenceString": .one(.moved(into: "occurrenceDateTime", .year)), "recorded": .one(.year),
            "primarySource": .one(.boolean), "reportOrigin": concept, "site": concept, "route": concept,
            "doseQuantity": .one(.quantity(.simple)), "reasonCode": concepts, "isSubpotent": .one(.boolean),
            "subpotentReason": concepts, "programEligibility": concepts, "fundingSource": concept,
            "expirationDate": .one(.year),
            "reaction": .many(
                .structure(
                    Structure(
                        name: "Immunization.reaction", elements: ["date": .one(.year), "reported": .one(.boolean)],
                        isBackbone: true))),
            "protocolApplied": .many(.structure(immunizationProtocol)),
        ],
        required: [
            .element("status"), .element("vaccineCode"), .element("patient"),
            .choice("occurrence", maskAs: "occurrenceString", placeholder: .string("masked")),
        ])

    static let immunizationProtocol = Structure(
        name: "Immunization.protocolApplied",
        elements: [
            "targetDisease": concepts, "doseNumberPositiveInt": .one(.integer(minimum: 1)),
            "doseNumberString": .one(.moved(into: "doseNumberPositiveInt", .integerText(minimum: 1))),
            "seriesDosesPositiveInt": .one(.integer(minimum: 1)),
        ],
        required: [.choice("doseNumber", maskAs: "doseNumberString", placeholder: .string("masked"))], isBackbone: true)

    static let allergyIntolerance = Structure(
        name: "AllergyIntolerance",
        elements: clinicalTime("onset").merging([
            "clinicalStatus": concept, "verificationStatus": concept, "type": .one(.code(["allergy", "intolerance"])),
            "category": .many(.code(["food", "medication", "environment", "biologic"])),
            "criticality": .one(.code(["low", "high", "unable-to-assess"])), "code": concept, "patient": .one(.patient),
            "recordedDate": .one(.year), "lastOccurrence": .one(.year), "reaction": .many(.structure(allergyReaction)),
        ]) { $1 },
        required: [.element("patient")])

    static let allergyReaction = Structure(
        name: "AllergyIntolerance.reaction",
        elements: [
            "substance": concept, "manifestation": concepts, "onset": .one(.year),
            "severity": .one(.code(["mild", "moderate", "severe"])), "exposureRoute": concept,
        ],
        required: [.element("manifestation")], isBackbone: true)

    static let documentReference = Structure(
        name: "DocumentReference",
        elements: [
            "status": .one(.code(["current", "superseded", "entered-in-error"])),
            "docStatus": .one(.code(["preliminary", "final", "amended", "entered-in-error"])), "type": concept,
            "category": concepts, "subject": .one(.patient), "securityLabel": concepts,
            "content": .many(.structure(documentContent)), "context": .one(.structure(documentContext)),
        ],
        required: [.element("status"), .element("content")])

    static let documentContent = Structure(
        name: "DocumentReference.content",
        elements: ["attachment": .one(.structure(Datatypes.attachment)), "format": .one(.coding)],
        required: [.element("attachment")], isBackbone: true)

    static let documentContext = Structure(
        name: "DocumentReference.context",
        elements: ["event": concepts, "period": period, "facilityType": concept, "practiceSetting": concept],
        isBackbone: true)

    /// A Patient keeps only what Safe Harbor lets a data set keep: gender, birth year (masked
    /// over 89), death as a flag or year, state and 3-digit ZIP, marital status and language.
    static let patient = Structure(
        name: "Patient",
        elements: [
            "active": .one(.boolean), "gender": .one(.code(["male", "female", "other", "unknown"])),
            "birthDate": .one(.birthDate), "deceasedBoolean": .one(.boolean), "deceasedDateTime": .one(.year),
            "address": .many(.address), "maritalStatus": concept,
            "communication": .many(
                .structure(
                    Structure(
                        name: "Patient.communication", elements: ["language": concept, "preferred": .one(.boolean)],
                        required: [.element("language")], isBackbone: true))),
        ])
}
