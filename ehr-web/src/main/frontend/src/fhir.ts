/** The slices of FHIR R4 the app reads, typed loosely (the server is the authority on structure). */

export interface Coding { system?: string; code?: string; display?: string }
export interface CodeableConcept { coding?: Coding[]; text?: string }
export interface Quantity { value?: number; unit?: string; code?: string; system?: string }
export interface Reference { reference?: string; display?: string }
export interface Meta { versionId?: string; lastUpdated?: string; source?: string; tag?: Coding[]; security?: Coding[] }
export interface Resource { resourceType: string; id?: string; meta?: Meta; [key: string]: unknown }
export interface HumanName { family?: string; given?: string[]; text?: string; use?: string }
export interface Identifier { system?: string; value?: string; type?: CodeableConcept }

export interface Patient extends Resource {
  resourceType: 'Patient';
  name?: HumanName[];
  identifier?: Identifier[];
  birthDate?: string;
  gender?: string;
  managingOrganization?: Reference;
}

export interface ReferenceRange { low?: Quantity; high?: Quantity; text?: string }
export interface ObservationComponent {
  code: CodeableConcept; valueQuantity?: Quantity; valueCodeableConcept?: CodeableConcept; valueString?: string;
}
export interface Observation extends Resource {
  resourceType: 'Observation';
  status?: string;
  code?: CodeableConcept;
  effectiveDateTime?: string;
  valueQuantity?: Quantity;
  valueString?: string;
  valueCodeableConcept?: CodeableConcept;
  component?: ObservationComponent[];
  referenceRange?: ReferenceRange[];
}

export interface BundleEntry<R extends Resource = Resource> { resource?: R; fullUrl?: string }
export interface Bundle<R extends Resource = Resource> {
  resourceType: 'Bundle';
  type?: string;
  total?: number;
  link?: { relation?: string; url?: string }[];
  entry?: BundleEntry<R>[];
}

export interface OperationOutcome {
  resourceType: 'OperationOutcome';
  issue?: { severity?: string; code?: string; diagnostics?: string; details?: CodeableConcept }[];
}

export const LOINC = 'http://loinc.org';

export function resources<R extends Resource>(bundle: Bundle<R> | undefined): R[] {
  return (bundle?.entry ?? []).map(e => e.resource).filter((r): r is R => !!r);
}

export function humanName(patient: { name?: HumanName[] } | undefined): string {
  const name = patient?.name?.find(n => n.use === 'official') ?? patient?.name?.[0];
  if (!name) return '(no name)';
  if (name.text) return name.text;
  const given = (name.given ?? []).join(' ');
  return [name.family ? `${name.family},` : '', given].filter(Boolean).join(' ').replace(/,$/, '') || '(no name)';
}

export function codeText(concept: CodeableConcept | undefined): string {
  if (!concept) return '';
  return concept.text ?? concept.coding?.find(c => c.display)?.display ?? concept.coding?.[0]?.code ?? '';
}

export function hasCode(concept: CodeableConcept | undefined, system: string, code: string): boolean {
  return !!concept?.coding?.some(c => c.code === code && (!c.system || c.system === system));
}

export function quantityText(q: Quantity | undefined): string {
  if (!q || q.value === undefined) return '';
  return `${formatNumber(q.value)}${q.unit ? ` ${q.unit}` : ''}`;
}

/** A measured value as entered: at most two decimals, no trailing zeros (77.7 stays 77.7, 5.60 shows 5.6). */
export function formatNumber(value: number): string {
  return String(Math.round(value * 100) / 100);
}

const TENANT_SYSTEMS = /(tenant|custodian|institution)$/i;

/**
 * The institution that holds a resource (its custodian). The server marks it either as a meta.tag whose system
 * names the tenant/custodian/institution, or as meta.source (a tenant id, or a URI ending in it). Undefined when
 * the server says nothing.
 */
export function custodianOf(resource: Resource | undefined): string | undefined {
  const tag = resource?.meta?.tag?.find(t => t.system && TENANT_SYSTEMS.test(t.system.replace(/[/#:]+$/, '')));
  if (tag?.code) return tag.code;
  const source = resource?.meta?.source;
  if (!source) return undefined;
  const tail = source.split(/[#/:]/).filter(Boolean).pop();
  return tail || source;
}

export function patientRef(patientId: string): Reference {
  return { reference: `Patient/${patientId}` };
}

/** Observation date for sorting and display: effectiveDateTime, else effectivePeriod.start, else issued. */
export function effectiveOf(resource: Resource): string | undefined {
  const r = resource as Record<string, unknown>;
  const period = r.effectivePeriod as { start?: string } | undefined;
  return (r.effectiveDateTime as string | undefined) ?? period?.start ?? (r.issued as string | undefined)
    ?? (r.recordedDate as string | undefined) ?? (r.authoredOn as string | undefined)
    ?? (r.onsetDateTime as string | undefined) ?? (r.date as string | undefined);
}

/** The date part of a FHIR date/dateTime as recorded (never shifted into the browser's zone). */
export function formatDate(iso: string | undefined): string {
  if (!iso) return '';
  return iso.length <= 10 ? iso : iso.slice(0, 10);
}

/** A FHIR date, dateTime or instant taken apart as written: nothing is converted (ADR 0017). */
export interface RecordedTime {
  /** YYYY, YYYY-MM or YYYY-MM-DD. */
  date: string;
  /** hh:mm, absent for a date-only value. */
  time?: string;
  /** "UTC", "UTC+01:00", "UTC−05:00"; absent when a time was recorded without a zone. */
  zone?: string;
}

const DATE_TIME = /^(\d{4}(?:-\d{2}(?:-\d{2})?)?)(?:T(\d{2}:\d{2})(?::\d{2}(?:\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?$/;

export function parseRecorded(iso: string | undefined): RecordedTime | undefined {
  const m = DATE_TIME.exec((iso ?? '').trim());
  if (!m) return undefined;
  const [, date, time, offset] = m;
  if (!time) return { date };
  return { date, time, zone: offset === undefined ? undefined : zoneLabel(offset) };
}

/** "Z" and "+00:00" → "UTC"; "+01:00" → "UTC+01:00"; "-05:00" → "UTC−05:00" (a minus sign, not a hyphen). */
export function zoneLabel(offset: string): string {
  if (offset === 'Z' || offset === '+00:00' || offset === '-00:00') return 'UTC';
  return `UTC${offset.startsWith('-') ? '\u2212' : '+'}${offset.slice(1)}`;
}

/** The zone part of a recorded time, for labels: "(UTC+01:00)", or "(time zone not recorded)". */
export function zoneText(t: RecordedTime): string {
  if (!t.time) return '';
  return t.zone ? `(${t.zone})` : '(time zone not recorded)';
}

/**
 * The one rule for showing a point in time (ADR 0017): the event's own local time as its source recorded it, with
 * its UTC offset ("2024-05-01 09:10 (UTC+01:00)"), whatever the browser's zone; a date-only value as a date
 * ("2024-05-01", no invented midnight); a time recorded without a zone as written, labelled so. Anything
 * unparseable is shown verbatim.
 */
export function formatDateTime(iso: string | undefined): string {
  if (!iso) return '';
  const t = parseRecorded(iso);
  if (!t) return iso;
  return t.time ? `${t.date} ${t.time} ${zoneText(t)}` : t.date;
}

/** The clock time part of {@link formatDateTime} ("09:10 (UTC+01:00)"), empty for a date-only value. */
export function formatTime(iso: string | undefined): string {
  const t = parseRecorded(iso);
  return t?.time ? `${t.time} ${zoneText(t)}` : '';
}

/** A date with the person's age at {@code today} ("1961-04-02 (63 y)"); a partial date as written. */
export function ageOn(birthDate: string | undefined, today: string): number | undefined {
  const b = /^(\d{4})-(\d{2})-(\d{2})$/.exec(birthDate ?? '');
  const t = /^(\d{4})-(\d{2})-(\d{2})/.exec(today);
  if (!b || !t) return undefined;
  const [by, bm, bd] = b.slice(1).map(Number);
  const [ty, tm, td] = t.slice(1).map(Number);
  return ty - by - (tm < bm || (tm === bm && td < bd) ? 1 : 0);
}

export const SYSTOLIC = '8480-6';
export const DIASTOLIC = '8462-4';

function componentValue(c: ObservationComponent): string {
  if (c.valueQuantity) return quantityText(c.valueQuantity);
  if (c.valueCodeableConcept) return codeText(c.valueCodeableConcept);
  return c.valueString ?? '';
}

/**
 * An observation's value as text, every component by its code, never by its position (issue #20): a blood
 * pressure "systolic/diastolic unit" (LOINC 8480-6 / 8462-4, in whatever order the source wrote them — Synthea
 * writes diastolic first); any other component as "name value unit", joined with "; ".
 */
export function observationValueText(o: Observation): string {
  if (o.valueQuantity) return quantityText(o.valueQuantity);
  if (o.valueCodeableConcept) return codeText(o.valueCodeableConcept);
  if (o.valueString !== undefined) return o.valueString;
  const components = o.component ?? [];
  if (!components.length) return '';
  const sys = components.find(c => hasCode(c.code, LOINC, SYSTOLIC) && c.valueQuantity?.value !== undefined);
  const dia = components.find(c => hasCode(c.code, LOINC, DIASTOLIC) && c.valueQuantity?.value !== undefined);
  if (sys && dia) {
    const unit = sys.valueQuantity!.unit ?? dia.valueQuantity!.unit;
    return `${formatNumber(sys.valueQuantity!.value!)}/${formatNumber(dia.valueQuantity!.value!)}${unit ? ` ${unit}` : ''}`;
  }
  return components.map(c => [codeText(c.code), componentValue(c)].filter(Boolean).join(' '))
    .filter(Boolean).join('; ');
}
