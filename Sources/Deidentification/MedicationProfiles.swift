/// What of a prescription may leave. `medicationReference` (a reference to another resource)
/// never leaves; being required, it is masked as `medicationCodeableConcept`.
enum MedicationProfiles {
    static let concept = ResourceProfiles.concept
    static let concepts = ResourceProfiles.concepts

    static let medicationRequest = Structure(
        name: "MedicationRequest",
        elements: [
            "medicationCodeableConcept": concept, "medicationReference": .one(.withheld),
            "status": .one(
                .code(["active", "on-hold", "cancelled", "completed", "entered-in-error", "stopped", "draft", "unknown"])),
            "statusReason": concept,
            "intent": .one(
                .code([
                    "proposal", "plan", "order", "original-order", "reflex-order", "filler-order", "instance-order", "option",
                ])),
            "category": concepts, "priority": .one(.code(["routine", "urgent", "asap", "stat"])),
            "doNotPerform": .one(.boolean), "reportedBoolean": .one(.boolean), "subject": .one(.patient),
            "authoredOn": .one(.year), "reasonCode": concepts, "courseOfTherapyType": concept,
            "dosageInstruction": .many(.structure(Datatypes.dosage)), "dispenseRequest": .one(.structure(dispenseRequest)),
            "substitution": .one(.structure(substitution)),
        ],
        required: [
            .element("status"), .element("intent"), .choice("medication", maskAs: "medicationCodeableConcept"), .element("subject"),
        ])

    static let dispenseRequest = Structure(
        name: "MedicationRequest.dispenseRequest",
        elements: [
            "initialFill": .one(
                .structure(
                    Structure(
                        name: "MedicationRequest.dispenseRequest.initialFill",
                        elements: ["quantity": .one(.quantity(.simple)), "duration": .one(.quantity(.duration))],
                        isBackbone: true))),
            "dispenseInterval": .one(.quantity(.duration)), "validityPeriod": ResourceProfiles.period,
            "numberOfRepeatsAllowed": .one(.integer(minimum: 0)), "quantity": .one(.quantity(.simple)),
            "expectedSupplyDuration": .one(.quantity(.duration)),
        ],
        isBackbone: true)

    static let substitution = Structure(
        name: "MedicationRequest.substitution",
        elements: ["allowedBoolean": .one(.boolean), "allowedCodeableConcept": concept, "reason": concept],
        required: [.choice("allowed", maskAs: "allowedCodeableConcept")], isBackbone: true)
}
