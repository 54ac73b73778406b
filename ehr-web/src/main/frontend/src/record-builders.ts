import { LOINC, patientRef, type Resource } from './fhir';

/** FHIR R4 resources the clinician records. Pure functions: the forms validate, these build, the API stores. */

const VITAL_CATEGORY = [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category',
  code: 'vital-signs', display: 'Vital Signs' }] }];

export interface VitalsInput {
  systolic?: number;
  diastolic?: number;
  heartRate?: number;
  weight?: number;
  temperature?: number;
  effective: string;
}

/** A typed number: its value, or why it was refused (shown at the field). */
export interface ParsedNumber { value?: number; error?: string }

/**
 * A number as a person types it in any locale (issue #20): "8,4" and "8.4" both mean 8.4. One decimal separator
 * (comma or point), no thousands separators. Refused rather than guessed: two separators ("1.234,5"), a letter,
 * and "1,234" / "1.234" (three digits after the only separator, which reads as a thousands group in one locale
 * and as decimals in another). Empty text is no value.
 */
export function parseDecimal(text: string): ParsedNumber {
  const t = text.trim().replace(/\s+/g, '');
  if (t === '') return {};
  const m = /^([+-]?)(\d+)(?:[.,](\d+))?$/.exec(t);
  if (!m) {
    return { error: /\d[.,]\d+[.,]/.test(t)
      ? 'Use one decimal separator and no thousands separator, e.g. 8,4 or 8.4.'
      : 'Enter a number, e.g. 8,4 or 8.4.' };
  }
  const [, sign, whole, fraction] = m;
  if (fraction?.length === 3 && whole.length <= 3 && !whole.startsWith('0')) {
    return { error: `\u201c${t}\u201d is ambiguous: it could mean ${whole}${fraction} or ${whole}.${fraction}. `
      + `Type ${whole}${fraction} without a separator, or ${whole},${fraction}0 for the decimal value.` };
  }
  return { value: Number(`${sign}${whole}${fraction ? `.${fraction}` : ''}`) };
}

/**
 * A datetime-local value ("2026-12-06T13:45") as a FHIR dateTime with the browser's own offset at that moment
 * ("2026-12-06T13:45:00+01:00"): the local time the person entered, kept as entered (ADR 0017), not turned into UTC.
 */
export function dateTimeWithOffset(local: string, offsetMinutes: number): string {
  const east = -offsetMinutes;
  const abs = Math.abs(east);
  const pad = (n: number) => String(n).padStart(2, '0');
  const base = local.length === 16 ? `${local}:00` : local;
  return `${base}${east >= 0 ? '+' : '-'}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

/** Plausible adult bounds: values outside are almost certainly typing errors. */
export const VITAL_BOUNDS: Record<keyof Omit<VitalsInput, 'effective'>, [number, number, string]> = {
  systolic: [40, 300, 'Systolic'],
  diastolic: [20, 200, 'Diastolic'],
  heartRate: [20, 300, 'Heart rate'],
  weight: [0.3, 500, 'Weight'],
  temperature: [25, 45, 'Temperature'],
};

export function validateVitals(v: VitalsInput): string[] {
  const errors: string[] = [];
  const entries = Object.entries(VITAL_BOUNDS) as [keyof typeof VITAL_BOUNDS, [number, number, string]][];
  for (const [key, [lo, hi, label]] of entries) {
    const value = v[key];
    if (value !== undefined && (Number.isNaN(value) || value < lo || value > hi)) {
      errors.push(`${label} must be between ${lo} and ${hi}.`);
    }
  }
  if ((v.systolic === undefined) !== (v.diastolic === undefined)) errors.push('Blood pressure needs both systolic and diastolic.');
  if (v.systolic !== undefined && v.diastolic !== undefined && v.diastolic >= v.systolic) {
    errors.push('Diastolic must be lower than systolic.');
  }
  if (entries.every(([k]) => v[k] === undefined)) errors.push('Enter at least one measurement.');
  return errors;
}

function quantity(value: number, unit: string, code: string) {
  return { value, unit, system: 'http://unitsofmeasure.org', code };
}

function observation(patientId: string, effective: string, code: string, display: string): Resource {
  return {
    resourceType: 'Observation', status: 'final', category: VITAL_CATEGORY,
    code: { coding: [{ system: LOINC, code, display }], text: display },
    subject: patientRef(patientId), effectiveDateTime: effective,
  };
}

export function vitalsObservations(patientId: string, v: VitalsInput): Resource[] {
  const out: Resource[] = [];
  if (v.systolic !== undefined && v.diastolic !== undefined) {
    out.push({ ...observation(patientId, v.effective, '85354-9', 'Blood pressure panel'), component: [
      { code: { coding: [{ system: LOINC, code: '8480-6', display: 'Systolic blood pressure' }] },
        valueQuantity: quantity(v.systolic, 'mmHg', 'mm[Hg]') },
      { code: { coding: [{ system: LOINC, code: '8462-4', display: 'Diastolic blood pressure' }] },
        valueQuantity: quantity(v.diastolic, 'mmHg', 'mm[Hg]') },
    ] });
  }
  if (v.heartRate !== undefined) {
    out.push({ ...observation(patientId, v.effective, '8867-4', 'Heart rate'),
      valueQuantity: quantity(v.heartRate, '/min', '/min') });
  }
  if (v.weight !== undefined) {
    out.push({ ...observation(patientId, v.effective, '29463-7', 'Body weight'),
      valueQuantity: quantity(v.weight, 'kg', 'kg') });
  }
  if (v.temperature !== undefined) {
    out.push({ ...observation(patientId, v.effective, '8310-5', 'Body temperature'),
      valueQuantity: quantity(v.temperature, '°C', 'Cel') });
  }
  return out;
}

function base64(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let binary = '';
  bytes.forEach(b => { binary += String.fromCharCode(b); });
  return btoa(binary);
}

export function noteDocument(patientId: string, title: string, text: string, date: string): Resource {
  return {
    resourceType: 'DocumentReference', status: 'current',
    type: { coding: [{ system: LOINC, code: '11506-3', display: 'Progress note' }], text: 'Progress note' },
    category: [{ coding: [{ system: 'http://hl7.org/fhir/us/core/CodeSystem/us-core-documentreference-category',
      code: 'clinical-note', display: 'Clinical Note' }] }],
    subject: patientRef(patientId), date, description: title,
    content: [{ attachment: { contentType: 'text/plain; charset=utf-8', data: base64(text), title } }],
  };
}

export function problemCondition(patientId: string, text: string, onset: string | undefined, recorded: string,
                                 snomed?: string): Resource {
  return {
    resourceType: 'Condition',
    clinicalStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code: 'active' }] },
    verificationStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-ver-status',
      code: 'confirmed' }] },
    category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-category',
      code: 'problem-list-item', display: 'Problem List Item' }] }],
    code: { ...(snomed ? { coding: [{ system: 'http://snomed.info/sct', code: snomed, display: text }] } : {}), text },
    subject: patientRef(patientId), ...(onset ? { onsetDateTime: onset } : {}), recordedDate: recorded,
  };
}

export function medicationOrder(patientId: string, medication: string, dosage: string, authoredOn: string):
  Resource {
  return {
    resourceType: 'MedicationRequest', status: 'active', intent: 'order',
    medicationCodeableConcept: { text: medication },
    subject: patientRef(patientId), authoredOn,
    dosageInstruction: [{ text: dosage }],
  };
}
