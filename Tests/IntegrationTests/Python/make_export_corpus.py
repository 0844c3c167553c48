#!/usr/bin/env python3
"""Makes a corpus of synthetic FHIR R4 resources seeded with identifying values, and the list of
those values, for testing that a research export leaks none of them.

    make_export_corpus.py --patients N --seed S --out DIR

The resources come from a third-party generator, clinosim (pinned below), so that the corpus is
not shaped by what we expect the de-identifier to handle. Per patient the corpus holds the
Patient and up to MAX_PER_TYPE resources of each other type in RESOURCE_TYPES (at least one of
each). Then, walking each resource by the FHIR R4 element definitions of fhir.resources 6.4.0:

- every string and markdown element gets the patient's identifying values appended: full name,
  MRN, SSN, birth date, visit date (MM/DD/YYYY), street, city, state, ZIP, phone and email;
  every Identifier, HumanName, ContactPoint, Address, Annotation, Attachment, Narrative and
  Reference.display is rewritten with them (a Patient.contact's too; an Attachment's data is
  the base64 of a text naming the patient and MRN);
- what a resource or backbone element lacks of those types, of string and markdown elements,
  and of date, dateTime and instant elements (Observation.issued, DocumentReference.date, ...)
  is added, and so are CodeableConcept.text, Coding.display and Attachment.title; every other
  occurrence of a choice with a string variant becomes that variant (Observation.valueString,
  Immunization.occurrenceString, ...), else of one with an instant variant that one
  (Observation.effectiveInstant);
- every date, dateTime and instant holds a full date: partial ones are completed.

Outputs, in DIR:
- corpus.ndjson: one line per resource, {"patient": ID, "resourceType": TYPE, "resource": {...}},
  patients in turn, each with its Patient first. ID is the Patient's id, which the resources'
  subject/patient references name as "Patient/ID".
- secrets.json: {ID: [string, ...]}, per patient the sorted strings that must not appear in any
  byte of an export: the identifying values above, every date of the patient's resources as
  YYYY-MM-DD and MM/DD/YYYY, each attachment's base64 data and hash, and the ids of the
  patient's resources and of the resources they reference. A patient is only taken if none of
  these also occurs in what a correct export may keep (codes, numbers, URIs, element names), so a
  byte search for them cannot find one by chance in the corpus's own content.

Every resource is validated as R4 with validate_fhir.py before anything is written; the script
fails, writing nothing, if one is not. With the pinned packages, the output is a function of
(--patients, --seed) alone.

The generator needs pydantic 2 and fhir.resources 6.4.0 needs pydantic 1, so they cannot share a
process: clinosim runs as a child process from its own directory ($MEDLEDGER_CLINOSIM_PATH, by
default ~/.cache/medledger/clinosim-0.6.5), this script imports fhir.resources. Both are
installed by .ci/setup. Exit status 0 on success, 1 if a resource is not valid R4 or too few
patients could be made, 2 if the generator or fhir.resources is not installed as pinned.
"""
import argparse
import base64
import collections
import copy
import functools
import hashlib
import html
import json
import math
import os
import random
import re
import subprocess
import sys
import tempfile
import typing

import validate_fhir

GENERATOR = "clinosim"
GENERATOR_VERSION = "0.6.5"
GENERATOR_PATH = os.environ.get(
    "MEDLEDGER_CLINOSIM_PATH",
    os.path.join(os.path.expanduser("~"), ".cache", "medledger", f"{GENERATOR}-{GENERATOR_VERSION}"),
)
# A fixed window: clinosim's default ends today, which would make the corpus depend on the day.
SIMULATION_START, SIMULATION_END = "2025-01-01", "2025-12-31"
# clinosim simulates a hospital's catchment population; about 7 in 100 residents become patients
# with a resource of every type, so a run this large per 5 patients asked for usually suffices.
POPULATION_PER_5_PATIENTS = 100
MAX_POPULATION = 6400

RESOURCE_TYPES = [
    "Patient", "Observation", "DocumentReference", "Condition", "MedicationRequest", "DiagnosticReport",
    "Procedure", "Immunization", "AllergyIntolerance",
]
# Enough for every other choice to be swapped to its string or instant variant, few enough to
# keep the corpus small.
MAX_PER_TYPE = 4

TEXT_TYPES = {"string", "markdown"}
DATE_TYPES = {"date", "dateTime", "instant"}
# Datatypes that identify a person or carry free text as a whole; each is rewritten by its own
# function below, which owns the elements listed (the rest of it is walked like anything else).
OWNED = {
    "Identifier": {"system", "value"},
    "HumanName": {"text", "family", "given"},
    "ContactPoint": {"system", "value"},
    "Address": {"text", "line", "city", "postalCode", "state", "country"},
    "Annotation": {"authorString", "time", "text"},
    "Attachment": {"contentType", "data", "url", "size", "hash", "creation"},
    "Narrative": {"status", "div"},
    # A literal reference must keep pointing at its resource.
    "Reference": {"reference", "display"},
}
IDENTITY_TYPES = set(OWNED) - {"Reference"}
# Resources and backbone elements get every string they lack; datatypes only those that people
# write free text into (a sentence in Coding.version or Quantity.unit would test nothing more).
FREE_TEXT_IN_DATATYPES = {"CodeableConcept": {"text"}, "Coding": {"display"}, "Attachment": {"title"}}


Element = collections.namedtuple("Element", "name type is_list choice")


def load_models():
    """fhir.resources' model lookup and base classes, from the directory validate_fhir.py uses."""
    _, construct = validate_fhir.load_fhir()
    from fhir.resources.backboneelement import BackboneElement
    from fhir.resources.fhirtypesvalidators import get_fhir_model_class
    from fhir.resources.resource import Resource
    from pydantic.fields import SHAPE_SINGLETON

    return construct, get_fhir_model_class, (Resource, BackboneElement), SHAPE_SINGLETON


CONSTRUCT, MODEL_CLASS, STRUCTURES, SHAPE_SINGLETON = load_models()


@functools.cache
def definitions(type_name):
    """The elements of an R4 resource, backbone element or datatype, by JSON name."""
    found = {}
    for field in MODEL_CLASS(type_name).__fields__.values():
        extra = field.field_info.extra
        # `id` is a plain string to fhir.resources but an identity of the resource or element.
        if not extra.get("element_property") or field.alias == "id":
            continue
        found[field.alias] = Element(field.alias, fhir_type(field), field.shape != SHAPE_SINGLETON, extra.get("one_of_many"))
    return found


def fhir_type(field):
    # Repeating primitives (HumanName.given) are typed Optional[String]; booleans are plain bool.
    for candidate in (field.type_, *typing.get_args(field.type_)):
        name = getattr(candidate, "__resource_type__", None) or getattr(candidate, "__visit_name__", None)
        if name:
            return name
    return "boolean"


@functools.cache
def is_structure(type_name):
    """True for resources and backbone elements, whose optional elements the corpus adds."""
    return issubclass(MODEL_CLASS(type_name), STRUCTURES)


def objects(value, type_name):
    """Every resource, backbone element and complex datatype in `value`, parents first. A parent
    is yielded before its children are looked up, so elements added to it are walked too."""
    for item in value if isinstance(value, list) else [value]:
        item_type = item["resourceType"] if type_name == "Resource" else type_name
        yield item, item_type
        for element in definitions(item_type).values():
            if element.type[0].isupper() and element.name in item:
                yield from objects(item[element.name], element.type)


# A full date, or a full dateTime/instant, as it stands in a resource's JSON.
DATE = re.compile(r"\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2}))?")


def us_date(iso):
    return f"{iso[5:7]}/{iso[8:10]}/{iso[:4]}"


def as_instant(value):
    return value if "T" in value else f"{value}T09:00:00Z"


class Patient:
    """One patient's identifying values (the generator's name, address, phone and birth date; an
    MRN, SSN and email of our own), and the dates and attachments seeding has written."""

    def __init__(self, resource, rng):
        name, address = resource["name"][0], resource["address"][0]
        self.id = resource["id"]
        self.given, self.family = name["given"][0], name["family"]
        self.full_name = f"{self.given} {self.family}"
        self.street, self.city, self.state = address["line"][0], address["city"], address["state"]
        self.zip = address["postalCode"]
        self.phone = next(t["value"] for t in resource["telecom"] if t.get("system") == "phone")
        self.birth_date = resource["birthDate"]
        self.rng = rng
        self.mrn = f"MRN-{rng.randrange(100000, 1000000)}"
        # Area numbers 900-999 are never issued, so the SSN cannot be someone's.
        self.ssn = f"{rng.randrange(900, 1000)}-{rng.randrange(10, 100)}-{rng.randrange(1000, 10000)}"
        self.email = re.sub(r"[^a-z.]", "", f"{self.given}.{self.family}".lower()) + f"{self.mrn[-3:]}@example.org"
        self.dates = set()
        self.attachments = []
        self.numbers = collections.Counter()

    def values(self):
        return [
            self.full_name, self.given, self.family, self.mrn, self.ssn, self.phone, self.email, self.street,
            self.city, self.zip, self.birth_date,
        ]

    def usable(self):
        """Whether every value is what the corpus promises: printable ASCII, so a byte search
        finds it whatever escaping an export's JSON uses, a 5-digit ZIP and a full birth date."""
        return (
            all(value.isascii() and value.isprintable() for value in self.values())
            and re.fullmatch(r"\d{5}", self.zip) is not None
            and re.fullmatch(r"\d{4}-\d{2}-\d{2}", self.birth_date) is not None
        )

    def sentence(self, visit):
        return (
            f"{self.full_name} ({self.mrn}, SSN {self.ssn}, born {us_date(self.birth_date)}), seen {us_date(visit)}; "
            f"{self.street}, {self.city}, {self.state} {self.zip}; phone {self.phone}; {self.email}"
        )

    def text(self, original, visit):
        return f"{original} ({self.sentence(visit)})" if original else self.sentence(visit)

    def number(self, kind):
        self.numbers[kind] += 1
        return self.numbers[kind]

    def complete(self, value, fhir_type):
        """`value` with a full date (and a full instant for `instant`), recorded as a secret."""
        if len(value) < 10:
            month = value[5:7] or f"{self.rng.randrange(1, 13):02d}"
            value = f"{value[:4]}-{month}-{self.rng.randrange(1, 29):02d}"
        self.dates.add(value[:10])
        return as_instant(value) if fhir_type == "instant" else value

    def secrets(self, resources):
        found = set(self.values())
        found |= {d for date in self.dates for d in (date, us_date(date))}
        found |= {value for attachment in self.attachments for value in attachment}
        for resource_type, resource in resources:
            found.add(resource["id"])
            for item, item_type in objects(resource, resource_type):
                if item_type == "Reference" and "/" in item.get("reference", ""):
                    found.add(item["reference"].rsplit("/", 1)[1])
        return sorted(found)


def write_identifier(identifier, patient, resource_type, visit):
    is_ssn = any(coding.get("code") == "SS" for coding in identifier.get("type", {}).get("coding", []))
    kind = "ssn" if is_ssn else resource_type.lower()
    identifier["system"] = f"https://records.example.org/patients/{patient.mrn}/{kind}"
    if is_ssn:
        identifier["value"] = patient.ssn
    elif resource_type == "Patient":
        identifier["value"] = patient.mrn
    else:
        identifier["value"] = f"{patient.mrn}-{patient.number('identifier'):04d}"


def write_name(name, patient, resource_type, visit):
    name.update(text=patient.full_name, family=patient.family, given=[patient.given])


def write_contact_point(contact, patient, resource_type, visit):
    contact.setdefault("system", "phone")
    contact["value"] = patient.email if contact["system"] == "email" else patient.phone


def write_address(address, patient, resource_type, visit):
    address.update(
        text=f"{patient.street}, {patient.city}, {patient.state} {patient.zip}",
        line=[patient.street], city=patient.city, state=patient.state, postalCode=patient.zip,
        country="US",
    )


def write_annotation(annotation, patient, resource_type, visit):
    if "authorReference" not in annotation:
        annotation["authorString"] = patient.full_name
    annotation["time"] = patient.complete(visit, "instant")
    annotation["text"] = patient.text(annotation.get("text"), visit)


def write_attachment(attachment, patient, resource_type, visit):
    # The generator's own note text is kept, so the identifying lines sit among clinical ones.
    is_text = "data" in attachment and attachment.get("contentType", "").startswith("text/")
    original = base64.b64decode(attachment["data"]).decode(errors="replace") if is_text else ""
    content = f"{original}\nPatient: {patient.full_name}, {patient.mrn}\n{patient.sentence(visit)}\n".encode()
    data = base64.b64encode(content).decode()
    digest = base64.b64encode(hashlib.sha1(content).digest()).decode()
    attachment.update(
        contentType="text/plain", data=data, size=len(content), hash=digest, creation=patient.complete(visit, "instant"),
        url=f"https://records.example.org/patients/{patient.mrn}/documents/{patient.number('attachment')}.txt",
    )
    patient.attachments.append((data, digest))


def write_narrative(narrative, patient, resource_type, visit):
    paragraph = f"<p>{html.escape(patient.sentence(visit))}</p>"
    div = narrative.get("div", '<div xmlns="http://www.w3.org/1999/xhtml"></div>')
    narrative.update(status="generated", div=div[: div.rindex("</div>")] + paragraph + "</div>")


def write_reference(reference, patient, resource_type, visit):
    reference["display"] = patient.full_name


WRITERS = {
    "Identifier": write_identifier,
    "HumanName": write_name,
    "ContactPoint": write_contact_point,
    "Address": write_address,
    "Annotation": write_annotation,
    "Attachment": write_attachment,
    "Narrative": write_narrative,
    "Reference": write_reference,
}


def swap_choices(item, type_name, patient, visit):
    """Turns every other occurrence of a choice into its string variant, or else its instant
    variant, so that both the usual variant and the rarer one are in the corpus."""
    choices = collections.defaultdict(list)
    for element in definitions(type_name).values():
        if element.choice:
            choices[element.choice].append(element)
    for choice, variants in choices.items():
        present = next((v for v in variants if v.name in item), None)
        target = next((v for t in ("string", "instant") for v in variants if v.type == t), None)
        if present is None or target is None or present is target or patient.number(f"{type_name}.{choice}") % 2 == 0:
            continue
        old = item.pop(present.name)
        if target.type == "string":
            item[target.name] = patient.text(None, visit)
        else:
            old_date = DATE.search(json.dumps(old))
            item[target.name] = patient.complete(old_date[0] if old_date else visit, "instant")


def add_elements(item, type_name, patient, visit):
    """Adds the optional identifying, free-text and date elements `item` lacks."""
    structure = is_structure(type_name)
    for element in definitions(type_name).values():
        if element.name in item or element.choice or element.name in OWNED.get(type_name, ()):
            continue
        if element.type in TEXT_TYPES and (structure or element.name in FREE_TEXT_IN_DATATYPES.get(type_name, ())):
            value = patient.text(None, visit)
        elif structure and element.type in IDENTITY_TYPES:
            value = {}
        elif structure and element.type in DATE_TYPES:
            value = patient.complete(visit if element.type != "date" else visit[:10], element.type)
        else:
            continue
        item[element.name] = [value] if element.is_list else value
    if type_name == "Patient":
        # A patient has both a phone and an email, and both an MRN and an SSN.
        if not any(contact.get("system") == "email" for contact in item["telecom"]):
            item["telecom"].append({"system": "email"})
        item["identifier"] = [
            {"use": "usual", "type": identifier_type("MR", "Medical record number")},
            {"use": "official", "type": identifier_type("SS", "Social Security number")},
        ]


def identifier_type(code, display):
    return {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/v2-0203", "code": code, "display": display}]}


def complete_dates(resource_type, resource, patient):
    """Completes the resource's dates; returns them, in document order."""
    found = []
    for item, item_type in objects(resource, resource_type):
        for element in definitions(item_type).values():
            if element.type in DATE_TYPES and element.name in item:
                value = item[element.name]
                if element.is_list:
                    item[element.name] = [patient.complete(v, element.type) for v in value]
                else:
                    item[element.name] = patient.complete(value, element.type)
                found += item[element.name] if element.is_list else [item[element.name]]
    return found


def seed(resource_type, resource, patient, visit):
    """Writes the patient's identifying values into every free-text and identifier element of
    `resource`, adding those it lacks (see the module's documentation); `visit` is the date the
    texts name and added dates take."""
    for item, item_type in objects(resource, resource_type):
        # The generator's texts first, so that what is written below is not seeded twice.
        for element in definitions(item_type).values():
            if element.type in TEXT_TYPES and element.name in item and element.name not in OWNED.get(item_type, ()):
                value = item[element.name]
                item[element.name] = [patient.text(v, visit) for v in value] if element.is_list else patient.text(value, visit)
        if item_type in WRITERS:
            WRITERS[item_type](item, patient, resource_type, visit)
        elif is_structure(item_type):
            swap_choices(item, item_type, patient, visit)
        add_elements(item, item_type, patient, visit)


def keepable(resource_type, resource):
    """What of `resource` a correct export may still carry: everything but free text, dates,
    identifying datatypes and ids (codes, numbers, booleans, URIs, element names)."""
    stripped = copy.deepcopy(resource)
    for item, item_type in objects(stripped, resource_type):
        item.pop("id", None)
        for element in definitions(item_type).values():
            if element.type in TEXT_TYPES | DATE_TYPES | IDENTITY_TYPES | {"xhtml", "base64Binary"} or (
                item_type == "Reference" and element.name == "reference"
            ):
                item.pop(element.name, None)
    return json.dumps(stripped)


def generate(population, seed_value, directory):
    """Runs clinosim, returning its resources of RESOURCE_TYPES in its order, by type."""
    if not os.path.isdir(os.path.join(GENERATOR_PATH, GENERATOR)):
        print(f"make_export_corpus.py: {GENERATOR} is not installed in {GENERATOR_PATH}; run .ci/setup", file=sys.stderr)
        sys.exit(2)
    command = [
        sys.executable, "-c", "import sys; from clinosim.simulator.cli import main; sys.argv[0] = 'clinosim'; main()",
        "simulate", "--country", "US", "--population", str(population), "--seed", str(seed_value),
        "--start", SIMULATION_START, "--end", SIMULATION_END, "--format", "fhir-r4", "--output", directory,
    ]
    # Only the generator's directory: an inherited PYTHONPATH could bring fhir.resources' pydantic 1.
    # A fixed hash seed keeps any set iteration in the generator the same from run to run.
    environment = dict(os.environ, PYTHONPATH=GENERATOR_PATH, PYTHONHASHSEED="0")
    run = subprocess.run(command, env=environment, capture_output=True, text=True)
    if run.returncode != 0:
        print(f"make_export_corpus.py: {GENERATOR} failed:\n{run.stdout}{run.stderr}", file=sys.stderr)
        sys.exit(1)
    output = os.path.join(directory, "fhir_r4")
    with open(os.path.join(output, "_generator_metadata.json")) as file:
        version = json.load(file)["clinosim_version"]
    if version != GENERATOR_VERSION:
        print(
            f"make_export_corpus.py: {GENERATOR} {version} is installed, not {GENERATOR_VERSION}; run .ci/setup",
            file=sys.stderr,
        )
        sys.exit(2)
    resources = {}
    for resource_type in RESOURCE_TYPES:
        with open(os.path.join(output, f"{resource_type}.ndjson")) as file:
            resources[resource_type] = [json.loads(line) for line in file if line.strip()]
    return resources


def is_valid(resource):
    return not validate_fhir.validate(json.dumps(resource), CONSTRUCT)[1]


def by_patient(resources):
    """{patient id: {type: [resource, ...]}}."""
    grouped = collections.defaultdict(lambda: collections.defaultdict(list))
    for resource_type, items in resources.items():
        for resource in items:
            reference = resource.get("subject", resource.get("patient", {})).get("reference", "")
            patient_id = resource["id"] if resource_type == "Patient" else reference.removeprefix("Patient/")
            grouped[patient_id][resource_type].append(resource)
    return grouped


def make_patient(patient_id, resources, seed_value):
    """The patient's seeded resources and identifying values, or None if the generator gave the
    patient too little to build them from. A few of the generator's resources are not valid R4
    (e.g. a DiagnosticReport with empty codes): they are left out, so that every invalid resource
    in the corpus is one this script made."""
    resources = {t: [r for r in resources[t] if is_valid(r)] for t in RESOURCE_TYPES}
    if not all(resources.values()):
        return None
    original = resources["Patient"][0]
    try:
        # A missing name, address line, state or phone makes the patient unusable. The random
        # generator is per patient, so a patient's values do not depend on the ones before.
        patient = Patient(original, random.Random(f"{seed_value}/{patient_id}"))
    except (KeyError, IndexError, StopIteration):
        return None
    if not patient.usable():
        return None
    chosen = []
    for resource_type in RESOURCE_TYPES:
        items = resources[resource_type]
        picks = sorted(patient.rng.sample(range(len(items)), min(MAX_PER_TYPE, len(items))))
        chosen += [(resource_type, copy.deepcopy(items[i])) for i in picks]
    # A resource's visit is its first date other than the birth date; one without such a date
    # (the Patient) is dated at the patient's first visit.
    visits = [[d for d in complete_dates(t, r, patient) if d[:10] != patient.birth_date] for t, r in chosen]
    first_visit = patient.complete(min((d for dates in visits for d in dates), default=SIMULATION_START), "dateTime")
    for (resource_type, resource), dates in zip(chosen, visits):
        seed(resource_type, resource, patient, dates[0] if dates else first_visit)
    return patient, chosen


def build(resources, count, seed_value):
    """Up to `count` patients, in the generator's order, whose secrets occur nowhere in what a
    correct export of the whole corpus may keep."""
    grouped = by_patient(resources)
    taken, keepable_texts = [], []
    for original in resources["Patient"]:
        if len(taken) == count:
            break
        made = make_patient(original["id"], grouped[original["id"]], seed_value)
        if made is None:
            continue
        patient, chosen = made
        secrets = patient.secrets(chosen)
        own_keepable = "\n".join(keepable(t, r) for t, r in chosen)
        everything = "\n".join(keepable_texts + [own_keepable])
        if any(s in everything for s in secrets) or any(s in own_keepable for _, _, earlier in taken for s in earlier):
            continue
        taken.append((patient, chosen, secrets))
        keepable_texts.append(own_keepable)
    return taken


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--patients", type=int, required=True)
    parser.add_argument("--seed", type=int, required=True)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    if args.patients < 1:
        parser.error("--patients must be at least 1")

    population = POPULATION_PER_5_PATIENTS * math.ceil(args.patients / 5)
    while True:
        with tempfile.TemporaryDirectory() as directory:
            resources = generate(population, args.seed, directory)
        taken = build(resources, args.patients, args.seed)
        if len(taken) == args.patients:
            break
        if population >= MAX_POPULATION:
            print(
                f"make_export_corpus.py: only {len(taken)} usable patients in a population of {population}",
                file=sys.stderr,
            )
            return 1
        population *= 2

    lines, failures = [], []
    for patient, chosen, _ in taken:
        for resource_type, resource in chosen:
            errors = validate_fhir.validate(json.dumps(resource), CONSTRUCT)[1]
            if errors:
                failures.append(f"{resource_type} {resource['id']} of {patient.id}: {errors}")
            lines.append(json.dumps({"patient": patient.id, "resourceType": resource_type, "resource": resource}))
    if failures:
        print("make_export_corpus.py: resources that are not valid FHIR R4:\n" + "\n".join(failures), file=sys.stderr)
        return 1

    os.makedirs(args.out, exist_ok=True)
    with open(os.path.join(args.out, "corpus.ndjson"), "w") as file:
        file.write("\n".join(lines) + "\n")
    with open(os.path.join(args.out, "secrets.json"), "w") as file:
        json.dump({patient.id: secrets for patient, _, secrets in taken}, file, indent=1, sort_keys=True)
        file.write("\n")
    counts = collections.Counter(resource_type for _, chosen, _ in taken for resource_type, _ in chosen)
    print(
        f"make_export_corpus.py: {GENERATOR} {GENERATOR_VERSION}, population {population}, seed {args.seed}: "
        f"{len(taken)} patients, {len(lines)} valid R4 resources ("
        + ", ".join(f"{t} {counts[t]}" for t in RESOURCE_TYPES)
        + f"); wrote {args.out}/corpus.ndjson and secrets.json"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
