/**
 * Reading an International Patient Summary (a FHIR document Bundle) for the screen (issue #20): every section's
 * entries resolved in the document and written as a clinician reads them — the value of a result or vital sign with
 * its unit, reference range and flag, a medication with its dose, an allergy with its reaction and criticality —
 * never prefixed with FHIR type names. The server composes the document; this only renders what it holds.
 */
import {
  codeText, custodianOf, formatDate, observationValueText, quantityText, type CodeableConcept, type Observation,
  type Quantity, type Reference, type Resource,
} from './fhir';

export interface IpsItem {
  /** What it is: the problem, drug, allergen, test, vaccine. */
  title: string;
  /** The value, dose or reaction, as a clinician writes it. */
  detail: string;
  /** Status, dates and other context. */
  meta: string;
  /** H / L / critical flag of a result, or "High risk" for a high-criticality allergy; none otherwise. */
  flag?: string;
  /** What the flag means, for its tooltip (default: outside the reference range). */
  flagTitle?: string;
}

export interface IpsView {
  code: string;
  title: string;
  items: IpsItem[];
  /** The section says why it is empty (or has no entries). */
  emptyText?: string;
}

export interface DocBundle {
  entry?: { fullUrl?: string; resource?: Record<string, unknown> }[];
}

type R = Record<string, unknown>;
const concept = (v: unknown) => codeText(v as CodeableConcept | undefined);
const arr = <T>(v: unknown): T[] => (Array.isArray(v) ? v as T[] : v === undefined || v === null ? [] : [v as T]);
const statusCode = (v: unknown) => (v as CodeableConcept | undefined)?.coding?.[0]?.code ?? concept(v);

/** Finds a referenced resource in the document: by fullUrl, or by "Type/id". */
export function resolver(bundle: DocBundle): (ref: Reference | string | undefined) => R | undefined {
  const byKey = new Map<string, R>();
  for (const e of bundle.entry ?? []) {
    const r = e.resource;
    if (!r) continue;
    if (e.fullUrl) byKey.set(e.fullUrl, r);
    if (r.resourceType && r.id) byKey.set(`${r.resourceType}/${r.id}`, r);
  }
  return ref => {
    const s = typeof ref === 'string' ? ref : ref?.reference;
    if (!s) return undefined;
    const tail = /([A-Za-z]+\/[^/]+)$/.exec(s)?.[1];
    return byKey.get(s) ?? (tail ? byKey.get(tail) : undefined);
  };
}

/** The institutions holding anything in the document (custodian tags), with the one that answered first. */
export function custodians(bundle: DocBundle, first?: string): string[] {
  const out = new Set<string>(first ? [first] : []);
  for (const e of bundle.entry ?? []) {
    const c = custodianOf(e.resource as Resource | undefined);
    if (c) out.add(c);
  }
  return [...out];
}

/** "since 2019-03-02" from a date or a period's start; empty when neither is recorded. */
function since(date: unknown, period: unknown): string {
  const d = formatDate((date ?? (period as { start?: string } | undefined)?.start) as string | undefined);
  return d ? `since ${d}` : '';
}

function dateOf(x: R): string {
  const period = x.effectivePeriod as { start?: string } | undefined;
  const performed = x.performedPeriod as { start?: string } | undefined;
  return formatDate((x.effectiveDateTime ?? period?.start ?? x.occurrenceDateTime ?? x.performedDateTime
    ?? performed?.start ?? x.issued) as string | undefined);
}

const FLAGS: Record<string, string> = { H: 'H', HH: 'critical H', HU: 'H', L: 'L', LL: 'critical L', LU: 'L',
  A: 'abnormal', AA: 'critical', '>': 'H', '<': 'L' };

/** The H/L flag: the lab's interpretation if given, else from the reference range. */
export function resultFlag(o: Observation): string | undefined {
  const given = arr<CodeableConcept>((o as R).interpretation).flatMap(c => c.coding ?? []).map(c => c.code ?? '')
    .map(c => FLAGS[c]).find(Boolean);
  if (given) return given;
  const v = o.valueQuantity?.value;
  const range = o.referenceRange?.[0];
  if (v === undefined || !range) return undefined;
  if (range.high?.value !== undefined && v > range.high.value) return 'H';
  if (range.low?.value !== undefined && v < range.low.value) return 'L';
  return undefined;
}

function rangeText(o: Observation): string {
  const r = o.referenceRange?.[0];
  if (!r) return '';
  if (r.text) return `ref. ${r.text}`;
  const low = r.low?.value;
  const high = r.high?.value;
  const unit = r.high?.unit ?? r.low?.unit ?? '';
  if (low !== undefined && high !== undefined) return `ref. ${low}–${high}${unit ? ` ${unit}` : ''}`;
  if (high !== undefined) return `ref. ≤ ${high}${unit ? ` ${unit}` : ''}`;
  if (low !== undefined) return `ref. ≥ ${low}${unit ? ` ${unit}` : ''}`;
  return '';
}

interface Dosage { text?: string; patientInstruction?: string; timing?: { code?: CodeableConcept;
  repeat?: { frequency?: number; period?: number; periodUnit?: string } }; route?: CodeableConcept;
  asNeededBoolean?: boolean; doseAndRate?: { doseQuantity?: Quantity }[] }

const PERIOD_UNITS: Record<string, string> = { h: 'hour', d: 'day', wk: 'week', mo: 'month', a: 'year' };

/** "500 mg twice a day, oral" from a FHIR Dosage; its own text when the prescriber wrote one. */
export function doseText(d: Dosage | undefined): string {
  if (!d) return '';
  if (d.text) return d.text;
  const dose = quantityText(d.doseAndRate?.[0]?.doseQuantity);
  const rep = d.timing?.repeat;
  let how = concept(d.timing?.code);
  if (!how && rep?.frequency !== undefined) {
    const unit = PERIOD_UNITS[rep.periodUnit ?? ''] ?? rep.periodUnit ?? '';
    const times = rep.frequency === 1 ? 'once' : rep.frequency === 2 ? 'twice' : `${rep.frequency} times`;
    how = rep.period && rep.period !== 1 ? `${times} every ${rep.period} ${unit}s` : `${times} a ${unit}`;
  }
  return [dose, how, d.asNeededBoolean ? 'as needed' : '', concept(d.route), d.patientInstruction]
    .filter(Boolean).join(', ');
}

function medication(x: R, resolve: ReturnType<typeof resolver>): string {
  return concept(x.medicationCodeableConcept) || concept(resolve(x.medicationReference as Reference)?.code)
    || (x.medicationReference as Reference | undefined)?.display || 'Medication';
}

/** One entry as a clinician reads it; undefined for what is not clinical content (the patient, an organization). */
export function itemOf(x: R, resolve: ReturnType<typeof resolver>): IpsItem | undefined {
  switch (x.resourceType) {
    case 'Observation': {
      const o = x as unknown as Observation;
      return { title: concept(o.code) || 'Result', detail: observationValueText(o),
        meta: [dateOf(x), rangeText(o)].filter(Boolean).join(' · '), flag: resultFlag(o) };
    }
    case 'Condition':
      return { title: concept(x.code) || 'Problem', detail: '', meta: [since(x.onsetDateTime, x.onsetPeriod),
        statusCode(x.clinicalStatus), statusCode(x.verificationStatus)].filter(Boolean).join(' · ') };
    case 'MedicationStatement':
    case 'MedicationRequest': {
      const dosage = arr<Dosage>(x.dosage ?? x.dosageInstruction)[0];
      return { title: medication(x, resolve), detail: doseText(dosage), meta: [x.status as string,
        since(x.authoredOn ?? x.effectiveDateTime, x.effectivePeriod)].filter(Boolean).join(' · ') };
    }
    case 'AllergyIntolerance': {
      const reactions = arr<R>(x.reaction).map(r => [arr<CodeableConcept>(r.manifestation).map(concept)
        .filter(Boolean).join(', '), r.severity ? `(${r.severity as string})` : ''].filter(Boolean).join(' '))
        .filter(Boolean);
      return { title: concept(x.code) || 'Allergy', detail: reactions.length ? `Reaction: ${reactions.join('; ')}`
        : 'Reaction not recorded',
      meta: [x.criticality ? `criticality ${x.criticality as string}` : '', arr<string>(x.category).join(', '),
        statusCode(x.clinicalStatus)].filter(Boolean).join(' · '),
      ...(x.criticality === 'high' ? { flag: 'High risk', flagTitle: 'Criticality high: a reaction may be'
        + ' life-threatening' } : {}) };
    }
    case 'Immunization':
      return { title: concept(x.vaccineCode) || 'Vaccine', detail: '', meta: [dateOf(x), x.status === 'completed'
        ? '' : x.status as string].filter(Boolean).join(' · ') };
    case 'Procedure':
      return { title: concept(x.code) || 'Procedure', detail: '', meta: dateOf(x) };
    case 'Patient': case 'Organization': case 'Practitioner': case 'Composition': case 'Medication':
      return undefined;
    default:
      return { title: concept(x.code) || concept(x.type) || 'Entry', detail: '', meta: dateOf(x) };
  }
}

/** The sections of the document (the Composition first), each with its entries resolved and readable. */
export function ipsView(bundle: DocBundle): IpsView[] {
  const composition = bundle.entry?.find(e => e.resource?.resourceType === 'Composition')?.resource as
    { section?: R[] } | undefined;
  if (!composition) return [];
  const resolve = resolver(bundle);
  return (composition.section ?? []).map(s => {
    const items = arr<Reference>(s.entry).map(ref => resolve(ref)).filter((r): r is R => !!r)
      .map(r => itemOf(r, resolve)).filter((i): i is IpsItem => !!i);
    const code = (s.code as CodeableConcept | undefined)?.coding?.[0]?.code ?? '';
    const emptyText = items.length ? undefined : concept(s.emptyReason) || 'Nothing recorded';
    return { code, title: (s.title as string | undefined) ?? '', items, emptyText };
  });
}
