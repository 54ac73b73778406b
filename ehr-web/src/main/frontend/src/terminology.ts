import { LOINC } from './fhir';

/**
 * The codes offered while recording (issue #20, ADR 0030): a small value set bundled with the app, not looked up in
 * the patients' records. A lookup over records would disclose other patients' data to a clinician who typed three
 * letters (or, audited, fill unrelated patients' access logs), and records carry codes of uneven quality. Each code
 * here was checked against the code system's published display; free text stays possible (recorded uncoded).
 */
export const SNOMED = 'http://snomed.info/sct';
export const RXNORM = 'http://www.nlm.nih.gov/research/umls/rxnorm';

export interface Concept {
  system: string;
  code: string;
  display: string;
  /** Observations: the UCUM unit the value is recorded in (code) and how it is shown (unit). */
  unit?: { code: string; unit: string };
  /** Words a clinician types that the display does not contain ("HbA1c", "BP"). */
  synonyms?: string[];
}

export type TerminologyKind = 'problem' | 'medication' | 'result';

const sct = (code: string, display: string, synonyms?: string[]): Concept =>
  ({ system: SNOMED, code, display, synonyms });
const rx = (code: string, display: string, synonyms?: string[]): Concept =>
  ({ system: RXNORM, code, display, synonyms });
const loinc = (code: string, display: string, ucum: string, unit: string, synonyms?: string[]): Concept =>
  ({ system: LOINC, code, display, unit: { code: ucum, unit }, synonyms });

export const VALUE_SETS: Record<TerminologyKind, Concept[]> = {
  problem: [
    sct('38341003', 'Hypertension', ['high blood pressure', 'hypertensive disorder']),
    sct('59621000', 'Essential hypertension', ['hypertension']),
    sct('44054006', 'Diabetes mellitus type 2', ['type 2 diabetes', 'T2DM']),
    sct('15777000', 'Prediabetes'),
    sct('55822004', 'Hyperlipidemia', ['high cholesterol']),
    sct('195967001', 'Asthma'),
    sct('13645005', 'Chronic obstructive lung disease', ['COPD']),
    sct('49436004', 'Atrial fibrillation', ['AF']),
    sct('84114007', 'Heart failure'),
    sct('22298006', 'Myocardial infarction', ['heart attack', 'MI']),
    sct('230690007', 'Cerebrovascular accident', ['stroke', 'CVA']),
    sct('35489007', 'Depressive disorder', ['depression']),
    sct('197480006', 'Anxiety disorder', ['anxiety']),
    sct('40930008', 'Hypothyroidism'),
    sct('396275006', 'Osteoarthritis'),
    sct('64859006', 'Osteoporosis'),
    sct('69896004', 'Rheumatoid arthritis'),
    sct('37796009', 'Migraine'),
    sct('84757009', 'Epilepsy'),
    sct('367498001', 'Seasonal allergic rhinitis', ['hay fever']),
    sct('271737000', 'Anemia', ['anaemia']),
    sct('709044004', 'Chronic kidney disease', ['CKD']),
    sct('235595009', 'Gastroesophageal reflux disease', ['GERD', 'reflux']),
    sct('68566005', 'Urinary tract infectious disease', ['UTI']),
    sct('233604007', 'Pneumonia'),
    sct('10509002', 'Acute bronchitis'),
  ],
  medication: [
    rx('314076', 'lisinopril 10 MG Oral Tablet'),
    rx('197361', 'amlodipine 5 MG Oral Tablet'),
    rx('308136', 'amlodipine 2.5 MG Oral Tablet'),
    rx('310798', 'hydrochlorothiazide 25 MG Oral Tablet', ['HCTZ']),
    rx('312961', 'simvastatin 20 MG Oral Tablet'),
    rx('860975', '24 HR metformin hydrochloride 500 MG Extended Release Oral Tablet', ['metformin']),
    rx('866412', '24 HR metoprolol succinate 100 MG Extended Release Oral Tablet', ['metoprolol']),
    rx('309362', 'clopidogrel 75 MG Oral Tablet'),
    rx('310965', 'ibuprofen 200 MG Oral Tablet'),
    rx('313782', 'acetaminophen 325 MG Oral Tablet', ['paracetamol']),
  ],
  result: [
    loinc('4548-4', 'Hemoglobin A1c/Hemoglobin.total in Blood', '%', '%', ['HbA1c', 'A1c', 'glycated']),
    loinc('15074-8', 'Glucose [Moles/volume] in Blood', 'mmol/L', 'mmol/L', ['glucose', 'blood sugar']),
    loinc('2093-3', 'Cholesterol [Mass/volume] in Serum or Plasma', 'mg/dL', 'mg/dL', ['cholesterol']),
    loinc('2160-0', 'Creatinine [Mass/volume] in Serum or Plasma', 'mg/dL', 'mg/dL', ['creatinine']),
    loinc('718-7', 'Hemoglobin [Mass/volume] in Blood', 'g/dL', 'g/dL', ['Hb', 'haemoglobin']),
    loinc('2823-3', 'Potassium [Moles/volume] in Serum or Plasma', 'mmol/L', 'mmol/L', ['K']),
    loinc('2951-2', 'Sodium [Moles/volume] in Serum or Plasma', 'mmol/L', 'mmol/L', ['Na']),
    loinc('8867-4', 'Heart rate', '/min', '/min', ['pulse']),
    loinc('9279-1', 'Respiratory rate', '/min', '/min'),
    loinc('29463-7', 'Body weight', 'kg', 'kg', ['weight']),
    loinc('8302-2', 'Body height', 'cm', 'cm', ['height', 'length']),
    loinc('39156-5', 'Body mass index (BMI) [Ratio]', 'kg/m2', 'kg/m²', ['BMI']),
    loinc('8310-5', 'Body temperature', 'Cel', '°C', ['temperature']),
    loinc('59408-5', 'Oxygen saturation in Arterial blood by Pulse oximetry', '%', '%', ['SpO2', 'saturation']),
  ],
};

const fold = (s: string) => s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();

/**
 * The concepts of a kind whose display, a synonym or code has a word starting with what was typed (case and
 * accents folded; every typed word must match), at most {@code limit}; nothing for fewer than 2 characters.
 */
export function lookup(kind: TerminologyKind, text: string, limit = 8): Concept[] {
  const words = fold(text).split(/[\s,/]+/).filter(Boolean);
  if (words.join('').length < 2) return [];
  return VALUE_SETS[kind].filter(c => {
    const hay = fold([c.display, c.code, ...(c.synonyms ?? [])].join(' ')).split(/[\s,/[\]().]+/);
    return words.every(w => hay.some(h => h.startsWith(w)));
  }).slice(0, limit);
}

/** "SNOMED CT 38341003" — the code with its system's short name. */
export function codeLabel(c: Pick<Concept, 'system' | 'code'>): string {
  const name = c.system === SNOMED ? 'SNOMED CT' : c.system === RXNORM ? 'RxNorm' : c.system === LOINC ? 'LOINC'
    : c.system;
  return `${name} ${c.code}`;
}
