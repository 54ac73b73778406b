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
export interface ObservationComponent { code: CodeableConcept; valueQuantity?: Quantity }
export interface Observation extends Resource {
  resourceType: 'Observation';
  status?: string;
  code?: CodeableConcept;
  effectiveDateTime?: string;
  valueQuantity?: Quantity;
  valueString?: string;
  component?: ObservationComponent[];
  referenceRange?: ReferenceRange[];
}

export interface BundleEntry<R extends Resource = Resource> { resource?: R; fullUrl?: string }
export interface Bundle<R extends Resource = Resource> {
  resourceType: 'Bundle';
  type?: string;
  total?: number;
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

export function formatDate(iso: string | undefined): string {
  if (!iso) return '';
  return iso.length <= 10 ? iso : iso.slice(0, 10);
}

export function formatDateTime(iso: string | undefined): string {
  if (!iso) return '';
  if (iso.length <= 10) return iso;
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}
