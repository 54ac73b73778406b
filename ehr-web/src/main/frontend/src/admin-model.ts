/**
 * The admin console's model (issue #8): the JSON shapes of the care-team, break-the-glass, audit and tenant APIs,
 * validation at the field before anything is sent, and which field a server error code belongs to.
 */

export interface Member { practitioner: string; institution: string; role: string; start: string; end?: string;
  /** The practitioner's name (absent when the directory does not know them yet). */
  name?: string | null }
export interface TeamPatient { person: string; patient?: string;
  /** The patient's name: only for a patient the admin's institution holds (ADR 0027). */
  name?: string | null }
export interface CareTeam { id: string; name: string; members: Member[]; patients: TeamPatient[] }

export interface BreakGlassSession {
  id: string; practitioner: string; patient: string; reason: string; started: string; expires: string;
  reviewedBy?: string; reviewed?: string;
  /** The reviewer's name (staff_name, by token subject; absent for reviews made before it was recorded). */
  reviewedByName?: string | null;
  /** The clinician's name (absent when the directory does not know them yet). */
  practitionerName?: string | null;
  /** The patient's name: only for a patient the admin's institution holds (ADR 0027). */
  patientName?: string | null;
}

/** "Pieter Jansen" with the id beside it for the record; the id alone when no name is known. */
export function personLabel(name: string | null | undefined, id: string): { name: string; id?: string } {
  return name ? { name, id } : { name: id };
}

/** The label shown for a patient whose name this reader may not see (held elsewhere, or no name given here). */
export const UNNAMED_PATIENT = 'name not shown';

/**
 * A patient on an admin screen: the name with the reference beside it when the server named them; otherwise the
 * reference with an opaque label (never a guess); nothing when the entry is about no patient.
 */
export function patientLabel(name: string | null | undefined, ref: string | null | undefined):
  { name: string; id?: string } | undefined {
  if (!ref) return undefined;
  return name ? { name, id: ref } : { name: UNNAMED_PATIENT, id: ref };
}

/** Who acted: their name, with username and roles beside it; the username alone when no name is known. */
export function actorLabel(e: Pick<AuditEntry, 'user' | 'roles' | 'userName'>): { name: string; id?: string } {
  const id = [e.user, e.roles ? `(${e.roles})` : ''].filter(Boolean).join(' ');
  return e.userName ? { name: e.userName, id: id || undefined } : { name: id };
}

export interface AuditEntry {
  seq: number; recorded: string; user?: string; roles?: string; institution?: string; custodian?: string;
  patient?: string; action: string; interaction: string; resource?: string; outcome: string; purpose?: string;
  detail?: string;
  /** Who acted, by name (absent when they never entered one). */
  userName?: string | null;
  /** The patient's name: only for a patient the reader's institution holds (ADR 0027). */
  patientName?: string | null;
}
export interface AuditPage { entries: AuditEntry[]; next?: number | null }

export type Errors = Record<string, string>;

const ID = /^[A-Za-z0-9\-.]{1,64}$/;

export interface TeamDraft { id: string; name: string }

export function validateTeam(d: TeamDraft): Errors {
  const e: Errors = {};
  if (!d.id.trim()) e.id = 'Enter a team id.';
  else if (!ID.test(d.id.trim())) e.id = 'Use 1–64 letters, digits, "-" or "." (no spaces).';
  if (!d.name.trim()) e.name = 'Enter the team’s name.';
  else if (d.name.trim().length > 200) e.name = 'At most 200 characters.';
  return e;
}

export interface MemberDraft { practitioner: string; institution: string; role: string; start: string; end: string }

export function validateMember(d: MemberDraft): Errors {
  const e: Errors = {};
  if (!d.practitioner.trim()) e.practitioner = 'Enter the practitioner id (e.g. prac-nl-jansen).';
  else if (!ID.test(d.practitioner.trim())) e.practitioner = 'Use 1–64 letters, digits, "-" or ".".';
  if (!d.institution) e.institution = 'Choose the member’s institution.';
  if (d.role !== 'clinician' && d.role !== 'nurse') e.role = 'A member is a clinician or a nurse.';
  if (d.start && d.end && d.end < d.start) e.end = 'The last day cannot be before the first.';
  return e;
}

/** The POST body of a member: "from" is the start of that day (UTC), "until" is inclusive (the next day's start). */
export function memberBody(d: MemberDraft): Record<string, string> {
  const body: Record<string, string> = { practitioner: d.practitioner.trim(), institution: d.institution,
    role: d.role };
  if (d.start) body.start = `${d.start}T00:00:00Z`;
  if (d.end) body.end = nextDay(d.end);
  return body;
}

export function validatePatient(patient: string): Errors {
  const id = patient.trim().replace(/^Patient\//, '');
  if (!id) return { patient: 'Enter the patient’s id (Patient/…).' };
  return ID.test(id) ? {} : { patient: 'A patient id has letters, digits, "-" or "." only.' };
}

export interface TenantDraft { id: string; name: string; country: string; region: string }

export function validateTenant(d: TenantDraft): Errors {
  const e: Errors = {};
  if (!/^[a-z0-9][a-z0-9-]{1,62}$/.test(d.id.trim())) e.id = 'Use 2–63 lower-case letters, digits or "-".';
  if (!d.name.trim()) e.name = 'Enter the institution’s name.';
  if (!/^[A-Z]{2}$/.test(d.country.trim().toUpperCase())) e.country = 'Use the two-letter country code (e.g. NL).';
  if (!d.region.trim()) e.region = 'Enter the data-residency region (e.g. eu-west).';
  return e;
}

/** Which form field a server error code is about (so the message is shown at that field). */
const FIELD_OF_CODE: Record<string, string> = {
  'EHR-0620': 'practitioner', 'EHR-0621': 'institution', 'EHR-0611': 'institution', 'EHR-0622': 'role',
  'EHR-0623': 'end', 'EHR-0613': 'start', 'EHR-0624': 'id', 'EHR-0654': 'patient', 'EHR-0681': 'patient',
  'EHR-0101': 'id', 'EHR-0102': 'name', 'EHR-0103': 'country', 'EHR-0104': 'region',
  'EHR-0680': 'practitioner', 'EHR-0682': 'action', 'EHR-0683': 'outcome', 'EHR-0684': 'from', 'EHR-0707': 'to',
};

export function fieldOfCode(code: string | undefined, fields: string[]): string | undefined {
  const f = code ? FIELD_OF_CODE[code] : undefined;
  return f && fields.includes(f) ? f : undefined;
}

export interface AuditFilters { user: string; patient: string; action: string; outcome: string; from: string; to: string }

export function validateAuditFilters(f: AuditFilters): Errors {
  return f.from && f.to && f.to < f.from ? { to: 'The end date is before the start date.' } : {};
}

/** The query of one page of the audit search; {@code before} continues after the previous page. */
export function auditQuery(f: AuditFilters, before?: number, count = 50): string {
  const params: [string, string][] = [];
  const add = (k: string, v: string | number | undefined) => {
    if (v !== undefined && String(v).trim() !== '') params.push([k, String(v).trim()]);
  };
  add('user', f.user);
  add('patient', f.patient.replace(/^Patient\//, ''));
  add('action', f.action);
  add('outcome', f.outcome);
  add('from', f.from);
  add('to', f.to);
  add('before', before);
  add('count', count);
  return params.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
}

export const ACTIONS: Record<string, string> = { C: 'Create', R: 'Read / search', U: 'Update', D: 'Delete',
  E: 'Execute (grants, break-the-glass, admin)' };
/** The action as a word in an audit row's cell (the filter's longer label is the cell's title). */
export const ACTION_WORDS: Record<string, string> = { C: 'Create', R: 'Read', U: 'Update', D: 'Delete',
  E: 'Execute' };
export const OUTCOMES: Record<string, string> = { '0': 'Success', '4': 'Refused / not found', '8': 'Serious failure',
  '12': 'Major failure' };

export type SessionState = 'active' | 'expired';

export function sessionState(s: BreakGlassSession, now: number = Date.now()): SessionState {
  return Date.parse(s.expires) > now ? 'active' : 'expired';
}

/** Sessions awaiting review first (newest first within each group). */
export function reviewOrder(sessions: BreakGlassSession[]): BreakGlassSession[] {
  return [...sessions].sort((a, b) => Number(!!a.reviewed) - Number(!!b.reviewed)
    || Date.parse(b.started) - Date.parse(a.started));
}

/** A timestamp as "2026-11-30 18:04" (UTC), compact for dense tables. */
export function shortTime(iso: string | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : `${d.toISOString().slice(0, 10)} ${d.toISOString().slice(11, 16)}`;
}

function nextDay(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().replace('.000Z', 'Z');
}

/** The answer of POST api/audit-events/verification (platform admins). */
export interface ChainVerification {
  intact: boolean;
  rowsChecked: number;
  brokenAt?: number | null;
  problem?: string | null;
  headSeq: number;
  verifiedAt: string;
  tookMs: number;
}

/** Next to the Intact/Broken badge: how much was checked, or where the chain breaks and why. */
export function describeVerification(v: ChainVerification): string {
  const when = shortTime(v.verifiedAt);
  const rows = v.rowsChecked.toLocaleString('en-US');
  return v.intact
    ? `All ${rows} audit events recomputed; the chain head is at #${v.headSeq} (${when} UTC, ${v.tookMs} ms).`
    : `At #${v.brokenAt}: ${v.problem}. The ${rows} events before it are intact (${when} UTC).`;
}

/** Who was just added to a team: a practitioner by id, or a patient by reference ({@code Patient/<id>}). */
export type Added = { practitioner: string } | { patient: string };

/**
 * The confirmation after adding someone to a care team (issue #20): the person by name, as the reloaded overview
 * names them — a practitioner from the directory, a patient only through the seam (ADR 0027:
 * {@code AccessSeam.Acting.patientsNamed}, audited). A patient the overview does not name keeps the reference the
 * admin typed, said to be unnamed; never a name from anywhere else.
 */
export function addedMessage(teams: CareTeam[], teamId: string, added: Added): string {
  const team = teams.find(t => t.id === teamId);
  const where = team?.name ?? teamId;
  if ('practitioner' in added) {
    const id = added.practitioner.trim();
    const name = team?.members.find(m => m.practitioner === id)?.name;
    return `${name ?? id} added to ${where}.`;
  }
  const name = team?.patients.find(p => p.patient === added.patient)?.name;
  return `${name ?? `${added.patient} (${UNNAMED_PATIENT})`} added to ${where}.`;
}
