import { LOINC, patientRef, type Resource } from './fhir';
import type { Concept } from './terminology';

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

/**
 * Who records and within which encounter (issue #20): the clinician's own Practitioner (from their token's
 * practitioner id) and the encounter chosen on the form, or none.
 */
export interface Authoring {
  practitionerId?: string;
  /** The clinician's name (their token's), shown with the reference. */
  name?: string;
  /** Encounter id, or undefined for "no encounter". */
  encounter?: string;
}

function practitioner(a: Authoring | undefined) {
  return a?.practitionerId
    ? { reference: `Practitioner/${a.practitionerId}`, ...(a.name ? { display: a.name } : {}) } : undefined;
}

function encounterRef(a: Authoring | undefined) {
  return a?.encounter ? { encounter: { reference: `Encounter/${a.encounter}` } } : {};
}

/** The author's reference in a resource recorded here: recorder (Condition), requester, performer, author (note). */
export function authorOf(r: Resource): string | undefined {
  const x = r as Record<string, unknown>;
  const ref = (x.recorder ?? x.requester ?? (x.performer as unknown[] | undefined)?.[0]
    ?? (x.author as unknown[] | undefined)?.[0]) as
    { reference?: string } | undefined;
  return ref?.reference;
}

function observation(patientId: string, effective: string, code: string, display: string,
                     a?: Authoring): Resource {
  const by = practitioner(a);
  return {
    resourceType: 'Observation', status: 'final', category: VITAL_CATEGORY,
    code: { coding: [{ system: LOINC, code, display }], text: display },
    subject: patientRef(patientId), ...encounterRef(a), effectiveDateTime: effective,
    ...(by ? { performer: [by] } : {}),
  };
}

export function vitalsObservations(patientId: string, v: VitalsInput, a?: Authoring): Resource[] {
  const out: Resource[] = [];
  if (v.systolic !== undefined && v.diastolic !== undefined) {
    out.push({ ...observation(patientId, v.effective, '85354-9', 'Blood pressure panel', a), component: [
      { code: { coding: [{ system: LOINC, code: '8480-6', display: 'Systolic blood pressure' }] },
        valueQuantity: quantity(v.systolic, 'mmHg', 'mm[Hg]') },
      { code: { coding: [{ system: LOINC, code: '8462-4', display: 'Diastolic blood pressure' }] },
        valueQuantity: quantity(v.diastolic, 'mmHg', 'mm[Hg]') },
    ] });
  }
  if (v.heartRate !== undefined) {
    out.push({ ...observation(patientId, v.effective, '8867-4', 'Heart rate', a),
      valueQuantity: quantity(v.heartRate, '/min', '/min') });
  }
  if (v.weight !== undefined) {
    out.push({ ...observation(patientId, v.effective, '29463-7', 'Body weight', a),
      valueQuantity: quantity(v.weight, 'kg', 'kg') });
  }
  if (v.temperature !== undefined) {
    out.push({ ...observation(patientId, v.effective, '8310-5', 'Body temperature', a),
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

function base64Text(data: string): string {
  return new TextDecoder().decode(Uint8Array.from(atob(data), c => c.charCodeAt(0)));
}

/**
 * A note as a DocumentReference: its text as a plain-text attachment, its author the clinician's Practitioner
 * (issue #20, ADR 0030: what makes it theirs to amend) and the encounter chosen on the form as its context.
 */
export function noteDocument(patientId: string, title: string, text: string, date: string, a?: Authoring): Resource {
  const by = practitioner(a);
  return {
    resourceType: 'DocumentReference', status: 'current', docStatus: 'final',
    type: { coding: [{ system: LOINC, code: '11506-3', display: 'Progress note' }], text: 'Progress note' },
    category: [{ coding: [{ system: 'http://hl7.org/fhir/us/core/CodeSystem/us-core-documentreference-category',
      code: 'clinical-note', display: 'Clinical Note' }] }],
    subject: patientRef(patientId), date, description: title, ...(by ? { author: [by] } : {}),
    content: [{ attachment: { contentType: 'text/plain; charset=utf-8', data: base64(text), title } }],
    ...(a?.encounter ? { context: { encounter: [{ reference: `Encounter/${a.encounter}` }] } } : {}),
  };
}

interface NoteAttachment { contentType?: string; data?: string }

function plainAttachment(r: Resource): NoteAttachment | undefined {
  if (r.resourceType !== 'DocumentReference') return undefined;
  const content = (r as { content?: { attachment?: NoteAttachment }[] }).content ?? [];
  const a = content.length === 1 ? content[0].attachment : undefined;
  return a?.data !== undefined && /^text\/plain\b/i.test(a.contentType ?? '') ? a : undefined;
}

/** The text of a note with one plain-text attachment (a note written here), else undefined. */
export function noteText(r: Resource): string | undefined {
  const a = plainAttachment(r);
  if (!a?.data) return a ? '' : undefined;
  try {
    return base64Text(a.data);
  } catch {
    return undefined;
  }
}

/** The encounter an entry belongs to, as its id (Condition/Observation/... .encounter, DocumentReference.context). */
export function encounterIdOf(r: Resource): string | undefined {
  const x = r as Record<string, unknown>;
  const context = x.context as { encounter?: { reference?: string }[]; reference?: string } | undefined;
  const ref = (x.encounter as { reference?: string } | undefined)?.reference
    ?? (Array.isArray(context?.encounter) ? context?.encounter[0]?.reference : context?.reference);
  const m = /(?:^|\/)Encounter\/([A-Za-z0-9\-.]{1,64})(?:\/_history\/[^/]+)?$/.exec(ref ?? '');
  return m?.[1];
}

const LAB_CATEGORY = [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category',
  code: 'laboratory', display: 'Laboratory' }] }];

/** A coded concept as FHIR: the looked-up coding with its display, and the text as typed (or the display). */
function concept(text: string, coded?: Concept) {
  return { ...(coded ? { coding: [{ system: coded.system, code: coded.code, display: coded.display }] } : {}),
    text };
}

export function problemCondition(patientId: string, text: string, onset: string | undefined, recorded: string,
                                 coded?: Concept, a?: Authoring): Resource {
  const by = practitioner(a);
  return {
    resourceType: 'Condition',
    clinicalStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code: 'active' }] },
    verificationStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-ver-status',
      code: 'confirmed' }] },
    category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-category',
      code: 'problem-list-item', display: 'Problem List Item' }] }],
    code: concept(text, coded),
    subject: patientRef(patientId), ...encounterRef(a), ...(onset ? { onsetDateTime: onset } : {}),
    recordedDate: recorded, ...(by ? { recorder: by, asserter: by } : {}),
  };
}

export function medicationOrder(patientId: string, medication: string, dosage: string, authoredOn: string,
                                coded?: Concept, a?: Authoring): Resource {
  const by = practitioner(a);
  return {
    resourceType: 'MedicationRequest', status: 'active', intent: 'order',
    medicationCodeableConcept: concept(medication, coded),
    subject: patientRef(patientId), ...encounterRef(a), authoredOn, ...(by ? { requester: by } : {}),
    dosageInstruction: [{ text: dosage }],
  };
}

/** A result with a looked-up LOINC code and its unit (vital-sign codes keep the vital-signs category). */
export function resultObservation(patientId: string, coded: Concept, value: number, effective: string,
                                  a?: Authoring): Resource {
  const vital = ['8867-4', '9279-1', '29463-7', '8302-2', '39156-5', '8310-5', '59408-5'].includes(coded.code);
  const by = practitioner(a);
  return {
    resourceType: 'Observation', status: 'final', category: vital ? VITAL_CATEGORY : LAB_CATEGORY,
    code: concept(coded.display, coded), subject: patientRef(patientId), ...encounterRef(a),
    effectiveDateTime: effective, ...(by ? { performer: [by] } : {}),
    valueQuantity: quantity(value, coded.unit?.unit ?? '', coded.unit?.code ?? ''),
  };
}

/**
 * The same entry marked entered in error (issue #20): a Condition by its verification status (its clinical status
 * must then be absent, FHIR invariant con-5), everything else by its status. Stored as a new version.
 */
/** A copy to store as the next version: the server's meta (version, tags) is the server's to set. */
function nextVersion(r: Resource): Record<string, unknown> {
  const copy: Record<string, unknown> = JSON.parse(JSON.stringify(r));
  delete copy.meta;
  return copy;
}

export function enteredInError(r: Resource): Resource {
  const copy = nextVersion(r);
  if (r.resourceType === 'Condition') {
    delete copy.clinicalStatus;
    copy.verificationStatus = { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-ver-status',
      code: 'entered-in-error' }] };
  } else {
    copy.status = 'entered-in-error';
  }
  return copy as Resource;
}

export function isEnteredInError(r: Resource): boolean {
  const x = r as Record<string, unknown>;
  const ver = (x.verificationStatus as { coding?: { code?: string }[] } | undefined)?.coding ?? [];
  return x.status === 'entered-in-error' || ver.some(c => c.code === 'entered-in-error');
}

/**
 * What an amendment changes, by type: an observation's value, an order's dosage, a problem's onset date (its
 * wording is not amended apart from its code: a different problem is a new entry), a note's text (its
 * docStatus becomes "amended"; its status stays "current").
 */
export type Amendment = { value: number } | { dosage: string } | { onset: string } | { text: string };

/** The same entry amended (issue #20): stored as a new version, the old one stays in the history. */
export function amended(r: Resource, change: Amendment): Resource {
  const copy = nextVersion(r);
  if ('value' in change) {
    copy.valueQuantity = { ...(copy.valueQuantity as object), value: change.value };
    if (copy.status === 'final') copy.status = 'amended';
  } else if ('dosage' in change) {
    copy.dosageInstruction = [{ text: change.dosage }];
  } else if ('text' in change) {
    const [content] = copy.content as { attachment: Record<string, unknown> }[];
    const attachment: Record<string, unknown> = { ...content.attachment, data: base64(change.text) };
    delete attachment.size;
    delete attachment.hash;
    copy.content = [{ ...content, attachment }];
    copy.docStatus = 'amended';
  } else {
    delete copy.onsetPeriod;
    delete copy.onsetString;
    copy.onsetDateTime = change.onset;
  }
  return copy as Resource;
}

/** Which amendment an entry recorded here allows (undefined: none). */
export function amendmentKind(r: Resource): 'value' | 'dosage' | 'onset' | 'text' | undefined {
  if (r.resourceType === 'DocumentReference') return plainAttachment(r) ? 'text' : undefined;
  if (r.resourceType === 'Observation') return (r as { valueQuantity?: unknown }).valueQuantity ? 'value' : undefined;
  if (r.resourceType === 'MedicationRequest') return 'dosage';
  if (r.resourceType === 'Condition') return 'onset';
  return undefined;
}
