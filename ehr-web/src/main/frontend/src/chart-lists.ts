/**
 * The chart's problem and medication lists as a clinician reads them (issue #20): problems with onset, recorded
 * date, clinical and verification status, social history apart from problems; medications with dose and
 * instructions, active apart from stopped. Pure: tested with Vitest.
 */
import { codeText, formatDate, type CodeableConcept, type Resource } from './fhir';
import { doseText } from './ips-model';

type R = Record<string, unknown>;
const code = (c: unknown) => (c as CodeableConcept | undefined)?.coding?.[0]?.code;

export interface ListRow {
  resource: Resource;
  title: string;
  /** The dose and instructions of a medication; empty for a problem. */
  detail: string;
  meta: string;
}

/** SNOMED CT semantic tags and words that mark social history and situations, not problems. */
const SOCIAL = /\((situation|social concept|life style|occupation|person|event)\)\s*$|\b(employment|employed|labor force|education|schooling|social (isolation|contact)|stress\b|criminal record|transportation|violence|abuse|housing|homeless|refugee|armed forces|medication review due|risk activity|income|insurance)\b/i;

export function isSocialFinding(r: Resource): boolean {
  const text = codeText((r as R).code as CodeableConcept | undefined);
  const display = ((r as R).code as CodeableConcept | undefined)?.coding?.find(c => c.display)?.display ?? '';
  const categories = ((r as R).category as CodeableConcept[] | undefined ?? []).flatMap(c => c.coding ?? [])
    .map(c => c.code ?? '');
  return categories.includes('social-history') || SOCIAL.test(text) || SOCIAL.test(display);
}

const dateOf = (v: unknown, period?: unknown) =>
  formatDate((v ?? (period as { start?: string } | undefined)?.start) as string | undefined);

/** "since 2019-03-02 · recorded 2019-03-05 · active · confirmed". */
export function problemRow(r: Resource): ListRow {
  const x = r as R;
  const onset = dateOf(x.onsetDateTime, x.onsetPeriod) || (x.onsetString as string | undefined) || '';
  const recorded = dateOf(x.recordedDate);
  return { resource: r, title: codeText(x.code as CodeableConcept | undefined) || 'Problem', detail: '',
    meta: [onset ? `since ${onset}` : 'onset not recorded', recorded && recorded !== onset ? `recorded ${recorded}` : '',
      code(x.clinicalStatus) ?? '', code(x.verificationStatus) ?? ''].filter(Boolean).join(' · ') };
}

/** Problems (newest onset first) apart from social history and situations. */
export function problemLists(conditions: Resource[]): { problems: ListRow[]; social: ListRow[] } {
  const rows = conditions.map(c => ({ c, row: problemRow(c) }))
    .sort((a, b) => (dateOf((b.c as R).onsetDateTime, (b.c as R).onsetPeriod) || '')
      .localeCompare(dateOf((a.c as R).onsetDateTime, (a.c as R).onsetPeriod) || ''));
  return { problems: rows.filter(x => !isSocialFinding(x.c)).map(x => x.row),
    social: rows.filter(x => isSocialFinding(x.c)).map(x => x.row) };
}

const STOPPED = ['stopped', 'completed', 'cancelled', 'entered-in-error', 'ended', 'not-taken'];

export function medicationName(r: Resource): string {
  const x = r as R;
  const ref = x.medicationReference as { display?: string; reference?: string } | undefined;
  return codeText(x.medicationCodeableConcept as CodeableConcept | undefined) || ref?.display || 'Medication';
}

/** "500 mg twice daily · started 2024-01-05" (or "stopped" / "completed" with the date it ended, if known). */
export function medicationRow(r: Resource): ListRow {
  const x = r as R;
  const dosage = ((x.dosageInstruction ?? x.dosage) as Parameters<typeof doseText>[0][] | undefined)?.[0];
  const status = (x.status as string | undefined) ?? '';
  const started = dateOf(x.authoredOn ?? x.effectiveDateTime, x.effectivePeriod);
  const ended = dateOf((x.effectivePeriod as { end?: string } | undefined)?.end
    ?? (x.dispenseRequest as { validityPeriod?: { end?: string } } | undefined)?.validityPeriod?.end);
  return { resource: r, title: medicationName(r), detail: doseText(dosage) || 'no dose or instructions recorded',
    meta: [STOPPED.includes(status) || status === 'on-hold' ? status : '', started ? `started ${started}` : '',
      ended && STOPPED.includes(status) ? `until ${ended}` : ''].filter(Boolean).join(' · ') };
}

/** Active medications apart from stopped ones (newest first); the same drug ordered again shows once per list. */
export function medicationLists(requests: Resource[]): { active: ListRow[]; stopped: ListRow[] } {
  const newest = [...requests].sort((a, b) => dateOf((b as R).authoredOn).localeCompare(dateOf((a as R).authoredOn)));
  const active: ListRow[] = [];
  const stopped: ListRow[] = [];
  const seen = new Set<string>();
  for (const r of newest) {
    const status = (r as R).status as string | undefined;
    const isActive = status === 'active' || status === 'on-hold' || status === 'draft' || status === 'intended';
    const key = `${isActive}|${medicationName(r).toLowerCase()}`;
    if (seen.has(key)) continue;
    seen.add(key);
    (isActive ? active : stopped).push(medicationRow(r));
  }
  const activeNames = new Set(active.map(a => a.title.toLowerCase()));
  return { active, stopped: stopped.filter(s => !activeNames.has(s.title.toLowerCase())) };
}

/** A row of the chart's document list: its title, its date and state, and whether it was entered in error. */
export interface DocumentRow extends ListRow {
  /** Entered in error (issue #20, ADR 0030): listed, struck through and marked, never dropped. */
  enteredInError: boolean;
}

/** "2026-12-07 · amended": a note's title (its description, else its type), its date, amended or not. */
export function documentRow(r: Resource): DocumentRow {
  const x = r as R;
  const wrong = x.status === 'entered-in-error';
  return { resource: r, enteredInError: wrong,
    title: (x.description as string | undefined) || codeText(x.type as CodeableConcept | undefined) || 'Document',
    detail: '', meta: [dateOf(x.date, x.context && (x.context as R).period),
      !wrong && x.docStatus === 'amended' ? 'amended' : ''].filter(Boolean).join(' · ') };
}
