import { codeText, formatDate, type CodeableConcept, type Resource } from './fhir';

/** The fields of an Encounter the recording forms use. */
export interface Encounter extends Resource {
  resourceType: 'Encounter';
  status?: string;
  class?: { display?: string; code?: string };
  type?: CodeableConcept[];
  period?: { start?: string; end?: string };
}

/** "General examination · 2026-12-05 · in progress" — what, when, and its state. */
export function encounterLabel(e: Encounter): string {
  const what = codeText(e.type?.[0]) || e.class?.display || e.class?.code || 'Encounter';
  const state = e.status === 'in-progress' ? 'in progress' : e.status === 'finished' ? 'finished' : e.status;
  return [what, formatDate(e.period?.start) || 'no date', state].filter(Boolean).join(' · ');
}

function localDay(d: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/**
 * The encounter an entry is recorded within by default (issue #20, ADR 0030): the one under way (in progress,
 * arrived, triaged), else one that began today (the viewer's day); otherwise none — an old encounter is never
 * chosen for the clinician, they pick it themselves.
 */
export function encounterChoice(encounters: Encounter[], now: Date): string | undefined {
  const current = encounters.find(e => ['in-progress', 'arrived', 'triaged'].includes(e.status ?? ''));
  if (current) return current.id;
  const today = localDay(now);
  const dayOf = (start: string) => (start.length === 10 ? start : localDay(new Date(start)));
  return encounters.find(e => e.period?.start && dayOf(e.period.start) === today
    && e.status !== 'cancelled' && e.status !== 'entered-in-error')?.id;
}

/**
 * The encounter an entry belongs to, as its page names it (issue #20): what, when, and the institution that holds
 * it ("Asthma review · 2026-12-05 · Amstel Hospital (NL)"). Built only from an Encounter the viewer could read:
 * the entry's reference itself (an id, or a display its writer chose) is never shown.
 */
export function encounterPlace(e: Encounter, institution?: string): string {
  const what = codeText(e.type?.[0]) || e.class?.display || e.class?.code || 'Encounter';
  return [what, formatDate(e.period?.start) || 'no date', institution].filter(Boolean).join(' · ');
}
