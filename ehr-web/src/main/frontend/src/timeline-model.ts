import { queryString } from './api';

/** The JSON timeline API's contract: GET api/patients/{id}/timeline. */
export interface TimelineEntry {
  type: string;
  id: string;
  version?: number | string;
  tenant?: string;
  institution?: string;
  country?: string;
  /** The entry's time as its source recorded it: offset kept, a date-only value as a date (ADR 0017). */
  effective?: string;
  category?: string;
  title?: string;
  /** One line of value: a multi-component observation by component code (blood pressure systolic/diastolic). */
  detail?: string;
  encounter?: string | null;
  withheld: boolean;
  /** The entry's status; "entered-in-error" is shown struck through with a marker (issue #20). */
  status?: string | null;
}

export interface TimelinePage {
  patient: { id: string; name?: string; birthDate?: string; gender?: string; institution?: string };
  entries: TimelineEntry[];
  next: string | null;
  total: number;
  facets?: {
    category?: { key: string; count: number }[];
    institution?: { key: string; name?: string; count: number }[];
  };
  histogram?: { month: string; count: number }[];
  /** The caller's access leaves some sensitive categories out (a grant's scope): shown as a marker. */
  withheld?: boolean;
}

export interface TimelineFilters {
  category?: string;
  from?: string;
  to?: string;
  institution?: string;
  q?: string;
  /** Billing entries (claims, explanations of benefit) are out of the clinical view unless asked for (issue #20). */
  billing?: boolean;
}

export const PAGE_SIZE = 50;

/**
 * The month strip on a proportional time axis: every calendar month from the oldest to the newest with entries,
 * a month without entries as 0 (a gap of three years looks like three years, not like the next month).
 */
export function monthAxis(histogram: { month: string; count: number }[]): { month: string; count: number }[] {
  if (!histogram.length) return [];
  const counts = new Map(histogram.map(m => [m.month, m.count]));
  const sorted = [...counts.keys()].sort();
  const [y0, m0] = sorted[0].split('-').map(Number);
  const [y1, m1] = sorted[sorted.length - 1].split('-').map(Number);
  const out: { month: string; count: number }[] = [];
  for (let i = y0 * 12 + m0 - 1; i <= y1 * 12 + m1 - 1; i++) {
    const month = `${String(Math.floor(i / 12)).padStart(4, '0')}-${String((i % 12) + 1).padStart(2, '0')}`;
    out.push({ month, count: counts.get(month) ?? 0 });
  }
  return out;
}

export function timelinePath(patientId: string, filters: TimelineFilters, after?: string | null): string {
  return `api/patients/${encodeURIComponent(patientId)}/timeline${queryString({
    size: PAGE_SIZE, after: after ?? undefined, category: filters.category, from: filters.from, to: filters.to,
    institution: filters.institution, q: filters.q?.trim(),
    billing: filters.billing || filters.category === 'billing' ? undefined : 'false',
  })}`;
}

export interface EncounterGroup {
  encounter: string | null;
  entries: TimelineEntry[];
}

export interface DayGroup {
  day: string;
  encounters: EncounterGroup[];
}

/** The calendar day of an entry (its date as recorded, not shifted to the browser's zone). */
export function dayOf(entry: TimelineEntry): string {
  return entry.effective ? entry.effective.slice(0, 10) : 'undated';
}

/**
 * Groups entries (already newest first) by day, then by encounter within the day, keeping the server's order:
 * a day's encounters appear in the order of their newest entry; entries without an encounter form their own group.
 */
export function groupByDayAndEncounter(entries: TimelineEntry[]): DayGroup[] {
  const days: DayGroup[] = [];
  const dayIndex = new Map<string, DayGroup>();
  for (const entry of entries) {
    const day = dayOf(entry);
    let group = dayIndex.get(day);
    if (!group) {
      group = { day, encounters: [] };
      dayIndex.set(day, group);
      days.push(group);
    }
    const key = entry.encounter ?? null;
    let enc = group.encounters.find(e => e.encounter === key);
    if (!enc) {
      enc = { encounter: key, entries: [] };
      group.encounters.push(enc);
    }
    enc.entries.push(entry);
  }
  return days;
}

/** Appends a page to what is shown, dropping entries already present (a cursor replay must not duplicate). */
export function mergeEntries(shown: TimelineEntry[], page: TimelineEntry[]): TimelineEntry[] {
  const seen = new Set(shown.map(e => `${e.type}/${e.id}`));
  return shown.concat(page.filter(e => !seen.has(`${e.type}/${e.id}`)));
}

/** The last day of a YYYY-MM month, for jumping the timeline to "everything up to the end of that month". */
export function endOfMonth(month: string): string {
  const [y, m] = month.split('-').map(Number);
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return `${month}-${String(last).padStart(2, '0')}`;
}

export const CATEGORY_LABELS: Record<string, string> = {
  'vital-signs': 'Vital signs',
  laboratory: 'Laboratory',
  encounter: 'Encounters',
  condition: 'Problems',
  problem: 'Problems',
  medication: 'Medications',
  allergy: 'Allergies',
  immunization: 'Immunizations',
  procedure: 'Procedures',
  note: 'Notes',
  document: 'Documents',
  imaging: 'Imaging',
  'diagnostic-report': 'Reports',
  'care-plan': 'Care plans',
  'care-team': 'Care team',
  report: 'Reports',
  observation: 'Observations',
  'social-history': 'Social history',
  survey: 'Surveys',
  exam: 'Examinations',
  therapy: 'Therapy',
  billing: 'Billing',
  device: 'Devices',
  supply: 'Supplies',
  consent: 'Consent',
};

export function categoryLabel(key: string | undefined): string {
  if (!key) return 'Other';
  return CATEGORY_LABELS[key] ?? key.replace(/[-_]/g, ' ').replace(/^./, c => c.toUpperCase());
}
