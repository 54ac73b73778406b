#!/usr/bin/env python3
"""Writes the demo transaction Bundles in infra/demo/bundles/<tenant>/ (deterministic: rerun gives the same files).

Hand-made demo patients (not Synthea): a few years of chronic care at Amstel Hospital (NL) and a holiday emergency
visit of the same person at Spree Klinikum (DE), so that grants, cross-border sharing, withheld sensitive categories,
trends and the timeline have something to show. Loaded by infra/demo/load.sh during ./meridian up.
"""
import json
import os
import random
import uuid

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "bundles")
LOINC, SNOMED, UCUM = "http://loinc.org", "http://snomed.info/sct", "http://unitsofmeasure.org"
RXNORM = "http://www.nlm.nih.gov/research/umls/rxnorm"
CVX = "http://hl7.org/fhir/sid/cvx"
ns = uuid.UUID("6f1c2b1e-2f4e-4c8e-9a77-0d5b0a3c9e10")


def uid(*parts):
    return "urn:uuid:" + str(uuid.uuid5(ns, "/".join(parts)))


def cc(system, code, display):
    return {"coding": [{"system": system, "code": code, "display": display}], "text": display}


def category(system, code, display):
    return [{"coding": [{"system": system, "code": code, "display": display}]}]


VITAL = category("http://terminology.hl7.org/CodeSystem/observation-category", "vital-signs", "Vital Signs")
LAB = category("http://terminology.hl7.org/CodeSystem/observation-category", "laboratory", "Laboratory")


class Bundle:
    def __init__(self, key):
        self.key, self.entries = key, []

    def add(self, resource, full_url=None):
        full_url = full_url or uid(self.key, str(len(self.entries)))
        self.entries.append({"fullUrl": full_url, "resource": resource,
                             "request": {"method": "POST", "url": resource["resourceType"]}})
        return full_url

    def write(self, tenant, name):
        with open(os.path.join(OUT, tenant, name), "w") as f:
            json.dump({"resourceType": "Bundle", "type": "transaction", "entry": self.entries}, f)
            f.write("\n")


def patient(b, marker, person, family, given, gender, birth, city, country):
    ids = [{"system": "urn:meridian:demo", "value": marker}]
    if person:
        ids.append({"system": "urn:meridian:person", "value": person})
    return b.add({"resourceType": "Patient", "identifier": ids, "active": True,
                  "name": [{"family": family, "given": [given]}], "gender": gender, "birthDate": birth,
                  "address": [{"city": city, "country": country}]}, uid(b.key, "patient"))


def encounter(b, pat, when, text, cls="AMB"):
    return b.add({"resourceType": "Encounter", "status": "finished",
                  "class": {"system": "http://terminology.hl7.org/CodeSystem/v3-ActCode", "code": cls},
                  "type": [{"text": text}], "subject": {"reference": pat},
                  "period": {"start": when + "T09:00:00+01:00", "end": when + "T09:30:00+01:00"}})


def condition(b, pat, code, display, onset, status="active", security=None):
    r = {"resourceType": "Condition",
         "clinicalStatus": cc("http://terminology.hl7.org/CodeSystem/condition-clinical", status, status.title()),
         "verificationStatus": cc("http://terminology.hl7.org/CodeSystem/condition-ver-status", "confirmed", "Confirmed"),
         "category": category("http://terminology.hl7.org/CodeSystem/condition-category", "problem-list-item",
                              "Problem List Item"),
         "code": cc(SNOMED, code, display), "subject": {"reference": pat}, "onsetDateTime": onset,
         "recordedDate": onset}
    if status == "resolved":
        r["abatementDateTime"] = onset[:4] + "-12-31"
    if security:
        r["meta"] = {"security": [{"system": "http://terminology.hl7.org/CodeSystem/v3-ActCode", "code": security}]}
    b.add(r)


def medication(b, pat, code, display, start, dose, status="active"):
    b.add({"resourceType": "MedicationRequest", "status": status, "intent": "order",
           "medicationCodeableConcept": cc(RXNORM, code, display), "subject": {"reference": pat},
           "authoredOn": start, "dosageInstruction": [{"text": dose}]})


def quantity(v, unit, code):
    return {"value": v, "unit": unit, "system": UCUM, "code": code}


def obs(b, pat, enc, when, code, display, value, unit, ucum, cat, low=None, high=None):
    r = {"resourceType": "Observation", "status": "final", "category": cat, "code": cc(LOINC, code, display),
         "subject": {"reference": pat}, "encounter": {"reference": enc}, "effectiveDateTime": when + "T09:10:00+01:00",
         "valueQuantity": quantity(value, unit, ucum)}
    if low is not None or high is not None:
        rr = {}
        if low is not None:
            rr["low"] = quantity(low, unit, ucum)
        if high is not None:
            rr["high"] = quantity(high, unit, ucum)
        r["referenceRange"] = [rr]
    b.add(r)


def bp(b, pat, enc, when, sys_, dia):
    b.add({"resourceType": "Observation", "status": "final", "category": VITAL,
           "code": cc(LOINC, "85354-9", "Blood pressure panel"), "subject": {"reference": pat},
           "encounter": {"reference": enc}, "effectiveDateTime": when + "T09:05:00+01:00",
           "component": [{"code": cc(LOINC, "8480-6", "Systolic blood pressure"),
                          "valueQuantity": quantity(sys_, "mmHg", "mm[Hg]")},
                         {"code": cc(LOINC, "8462-4", "Diastolic blood pressure"),
                          "valueQuantity": quantity(dia, "mmHg", "mm[Hg]")}]})


def immunization(b, pat, when, code, display):
    b.add({"resourceType": "Immunization", "status": "completed", "vaccineCode": cc(CVX, code, display),
           "patient": {"reference": pat}, "occurrenceDateTime": when, "primarySource": True})


def note(b, pat, enc, when, text):
    import base64
    b.add({"resourceType": "DocumentReference", "status": "current",
           "type": cc(LOINC, "11506-3", "Progress note"), "subject": {"reference": pat},
           "date": when + "T09:30:00+01:00", "context": {"encounter": [{"reference": enc}]},
           "content": [{"attachment": {"contentType": "text/plain",
                                       "data": base64.b64encode(text.encode()).decode()}}]})


def visits(start_year, end_year, per_year, rnd):
    out = []
    for y in range(start_year, end_year + 1):
        for k in range(per_year):
            month = 1 + k * (12 // per_year) + rnd.randint(0, 1)
            out.append(f"{y}-{month:02d}-{rnd.randint(3, 26):02d}")
    return [d for d in out if d <= "2026-11-20"]


def anna_nl():
    rnd = random.Random(7)
    b = Bundle("anna-nl")
    p = patient(b, "anna-nl", "person-anna", "de Vries", "Anna", "female", "1968-04-12", "Amsterdam", "NL")
    condition(b, p, "44054006", "Diabetes mellitus type 2", "2016-03-02")
    condition(b, p, "38341003", "Hypertensive disorder", "2018-09-14")
    condition(b, p, "35489007", "Depressive disorder", "2021-02-10", security="PSY")
    condition(b, p, "195662009", "Acute viral pharyngitis", "2022-01-18", status="resolved")
    medication(b, p, "860975", "metformin 500 MG Extended Release Oral Tablet", "2016-03-02", "500 mg twice daily")
    medication(b, p, "314076", "lisinopril 10 MG Oral Tablet", "2018-09-14", "10 mg once daily")
    b.add({"resourceType": "AllergyIntolerance",
           "clinicalStatus": cc("http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical", "active", "Active"),
           "verificationStatus": cc("http://terminology.hl7.org/CodeSystem/allergyintolerance-verification",
                                    "confirmed", "Confirmed"),
           "type": "allergy", "category": ["medication"], "criticality": "high",
           "code": cc(SNOMED, "764146007", "Penicillin"), "patient": {"reference": p}, "recordedDate": "2010-05-01",
           "reaction": [{"manifestation": [cc(SNOMED, "247472004", "Hives")]}]})
    hba1c, weight, sys_ = 8.9, 86.0, 152
    for i, d in enumerate(visits(2019, 2026, 3, rnd)):
        e = encounter(b, p, d, "Diabetes and hypertension follow-up")
        hba1c = round(max(6.4, hba1c - rnd.uniform(-0.15, 0.35)), 1)
        weight = round(weight - rnd.uniform(-0.6, 1.0), 1)
        sys_ = max(124, sys_ - rnd.randint(-3, 5))
        bp(b, p, e, d, sys_, sys_ - 60 + rnd.randint(-4, 4))
        obs(b, p, e, d, "29463-7", "Body weight", weight, "kg", "kg", VITAL)
        obs(b, p, e, d, "4548-4", "Hemoglobin A1c/Hemoglobin.total in Blood", hba1c, "%", "%", LAB, high=6.5)
        if i % 3 == 0:
            obs(b, p, e, d, "2160-0", "Creatinine [Mass/volume] in Serum or Plasma",
                round(rnd.uniform(0.7, 1.0), 2), "mg/dL", "mg/dL", LAB, 0.5, 1.1)
            note(b, p, e, d, f"Follow-up {d}: HbA1c {hba1c} %, weight {weight} kg. Continue metformin and lisinopril.")
        if d[5:7] in ("10", "11"):
            immunization(b, p, d, "140", "Influenza, seasonal, injectable, preservative free")
    b.add({"resourceType": "Procedure", "status": "completed", "code": cc(SNOMED, "252779009", "Retinal photography"),
           "subject": {"reference": p}, "performedDateTime": "2023-06-14"})
    b.write("nl-amstel", "01-anna-de-vries.json")


def bram_nl():
    rnd = random.Random(11)
    b = Bundle("bram-nl")
    p = patient(b, "bram-nl", "person-bram", "Bakker", "Bram", "male", "1955-11-30", "Haarlem", "NL")
    condition(b, p, "13645005", "Chronic obstructive lung disease", "2014-01-20")
    condition(b, p, "49436004", "Atrial fibrillation", "2020-07-08")
    medication(b, p, "1364430", "apixaban 5 MG Oral Tablet", "2020-07-08", "5 mg twice daily")
    medication(b, p, "896188", "fluticasone propionate 0.25 MG/ACTUAT / salmeterol 0.05 MG/ACTUAT Dry Powder Inhaler",
               "2014-01-20", "1 inhalation twice daily")
    weight = 79.0
    for d in visits(2020, 2026, 2, rnd):
        e = encounter(b, p, d, "Cardiology and pulmonology follow-up")
        weight = round(weight + rnd.uniform(-0.8, 0.8), 1)
        bp(b, p, e, d, rnd.randint(128, 142), rnd.randint(76, 88))
        obs(b, p, e, d, "29463-7", "Body weight", weight, "kg", "kg", VITAL)
        obs(b, p, e, d, "8867-4", "Heart rate", rnd.randint(62, 96), "/min", "/min", VITAL, 50, 100)
        if d[5:7] in ("10", "11"):
            immunization(b, p, d, "140", "Influenza, seasonal, injectable, preservative free")
    b.write("nl-amstel", "02-bram-bakker.json")


def sophie_nl():
    rnd = random.Random(13)
    b = Bundle("sophie-nl")
    p = patient(b, "sophie-nl", None, "Smit", "Sophie", "female", "1991-07-22", "Amstelveen", "NL")
    condition(b, p, "195967001", "Asthma", "2009-05-11")
    medication(b, p, "745679", "salbutamol 0.1 MG/ACTUAT Metered Dose Inhaler", "2009-05-11", "2 puffs as needed")
    for d in visits(2023, 2026, 1, rnd):
        e = encounter(b, p, d, "Asthma review")
        obs(b, p, e, d, "29463-7", "Body weight", round(rnd.uniform(61, 64), 1), "kg", "kg", VITAL)
        obs(b, p, e, d, "19926-5", "FEV1/FVC", rnd.randint(72, 80), "%", "%", LAB, 70)
    b.write("nl-amstel", "03-sophie-smit.json")


def anna_de():
    b = Bundle("anna-de")
    p = patient(b, "anna-de", "person-anna", "de Vries", "Anna", "female", "1968-04-12", "Amsterdam", "NL")
    e = encounter(b, p, "2024-08-17", "Emergency department visit (on holiday in Berlin)", cls="EMER")
    condition(b, p, "16114001", "Fracture of ankle", "2024-08-17", status="resolved")
    b.add({"resourceType": "Procedure", "status": "completed", "code": cc(SNOMED, "168537006", "Plain X-ray of ankle"),
           "subject": {"reference": p}, "encounter": {"reference": e}, "performedDateTime": "2024-08-17"})
    medication(b, p, "310965", "ibuprofen 200 MG Oral Tablet", "2024-08-17", "400 mg up to three times daily",
               status="completed")
    bp(b, p, e, "2024-08-17", 148, 92)
    obs(b, p, e, "2024-08-17", "2339-0", "Glucose [Mass/volume] in Blood", 164, "mg/dL", "mg/dL", LAB, 70, 140)
    note(b, p, e, "2024-08-17", "Inversion trauma right ankle. X-ray: undisplaced lateral malleolus fracture. "
         "Walker boot 6 weeks. Known type 2 diabetes (metformin). Penicillin allergy reported by the patient.")
    b.write("de-spree", "01-anna-de-vries-berlin.json")


if __name__ == "__main__":
    anna_nl()
    bram_nl()
    sophie_nl()
    anna_de()
