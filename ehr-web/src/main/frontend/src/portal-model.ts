/**
 * The patient portal's pure logic (issue 7): the grant form's validation and request body, share-code display,
 * access-log filters, and the reading of an IPS document's sections. No DOM, no network: tested with Vitest.
 */

export const SENSITIVE_CATEGORIES: { code: string; label: string }[] = [
  { code: 'PSY', label: 'Mental health' }, { code: 'SUD', label: 'Substance use' },
  { code: 'HIV', label: 'HIV' }, { code: 'STD', label: 'Sexually transmitted diseases' },
  { code: 'SEX', label: 'Sexuality and reproductive health' }, { code: 'ETH', label: 'Alcohol and drug treatment' },
  { code: 'GDIS', label: 'Genetic disease' }, { code: 'SDV', label: 'Sexual and domestic violence' },
];

export const PURPOSES: { code: string; label: string }[] = [
  { code: 'TREAT', label: 'Treatment' }, { code: 'ETREAT', label: 'Emergency treatment' },
  { code: 'CAREMGT', label: 'Care coordination' }, { code: 'HRESCH', label: 'Research' },
];

export type ScopeKind = 'all' | 'exclude-sensitive' | 'categories';

export interface GranteeOption {
  kind: 'institution' | 'practitioner';
  id: string;
  name: string;
  institution: string;
  institutionName: string;
  country: string | null;
  crossBorder: boolean;
}

export interface GrantDraft {
  grantee?: GranteeOption;
  scope: ScopeKind;
  categories: string[];
  purpose: string;
  /** YYYY-MM-DD, empty = now */
  start: string;
  /** YYYY-MM-DD, empty = until revoked */
  end: string;
}

export interface Grant {
  id: string;
  practitioner: string | null;
  institution: string | null;
  scope: ScopeKind;
  categories: string[];
  purpose: string;
  start: string;
  end: string | null;
  revoked: string | null;
  active: boolean;
  granteeName: string | null;
  granteeCountry: string | null;
  crossBorder: boolean;
  /** Where a practitioner grantee works (absent from older servers). */
  granteeInstitutionName?: string | null;
}

/** Field-level problems of a grant draft, in plain words (empty when it may be sent). */
export function validateGrant(d: GrantDraft): Record<string, string> {
  const problems: Record<string, string> = {};
  if (!d.grantee) problems.grantee = 'Choose who gets access: search for a doctor or an institution and pick one.';
  if (d.scope === 'categories' && d.categories.length === 0) {
    problems.categories = 'Choose at least one category, or pick another scope.';
  }
  if (d.start && !/^\d{4}-\d{2}-\d{2}$/.test(d.start)) problems.start = 'Use a date like 2026-12-31.';
  if (d.end && !/^\d{4}-\d{2}-\d{2}$/.test(d.end)) problems.end = 'Use a date like 2026-12-31.';
  if (!problems.start && !problems.end && d.end && d.end <= (d.start || today())) {
    problems.end = 'The end date must be after the start date.';
  }
  return problems;
}

export function today(now: Date = new Date()): string {
  return now.toISOString().slice(0, 10);
}

/** The JSON body of POST/PUT api/grants; dates become instants (start of day, end exclusive at the day after). */
export function grantBody(d: GrantDraft, confirmCrossBorder: boolean): Record<string, unknown> {
  const g = d.grantee!;
  return {
    practitioner: g.kind === 'practitioner' ? g.id : undefined,
    institution: g.kind === 'institution' ? g.id : undefined,
    scope: d.scope,
    categories: d.scope === 'categories' ? d.categories : undefined,
    purpose: d.purpose,
    start: d.start ? `${d.start}T00:00:00Z` : undefined,
    end: d.end ? `${nextDay(d.end)}T00:00:00Z` : undefined,
    confirmCrossBorder: confirmCrossBorder || undefined,
  };
}

/**
 * The last day a grant runs, as the patient chose it: the server stores the end exclusive (the next day at 00:00
 * UTC, {@link grantBody}), so "until 2026-12-31" comes back as 2027-01-01T00:00:00Z and is shown as 2026-12-31.
 * Read as a date in UTC, never shifted into the browser's zone.
 */
export function lastDay(end: string): string {
  const t = Date.parse(end);
  if (Number.isNaN(t)) return end.slice(0, 10);
  return new Date(t - 1).toISOString().slice(0, 10);
}

/** "2026-12-06 – 2026-12-31", "… – until revoked", "… – revoked 2026-12-06" (a revoked grant never runs on). */
export function periodText(g: Pick<Grant, 'start' | 'end' | 'revoked'>): string {
  const start = g.start.slice(0, 10);
  if (g.revoked) return `${start} – revoked ${g.revoked.slice(0, 10)}`;
  return `${start} – ${g.end ? lastDay(g.end) : 'until revoked'}`;
}

/** Who a grant is for, in words: "Klaus Müller (clinician), Spree Klinikum". */
export function granteeText(g: Pick<Grant, 'granteeName' | 'practitioner' | 'institution' | 'granteeInstitutionName'>):
  string {
  const name = g.granteeName ?? g.practitioner ?? g.institution ?? '';
  return g.practitioner && g.granteeInstitutionName ? `${name}, ${g.granteeInstitutionName}` : name;
}

function nextDay(date: string): string {
  const t = new Date(`${date}T00:00:00Z`);
  t.setUTCDate(t.getUTCDate() + 1);
  return t.toISOString().slice(0, 10);
}

export function scopeText(scope: ScopeKind, categories: string[]): string {
  if (scope === 'all') return 'Everything, including sensitive information';
  if (scope === 'exclude-sensitive') return 'Everything except sensitive information';
  const names = categories.map(c => SENSITIVE_CATEGORIES.find(s => s.code === c)?.label ?? c);
  return `Everything except sensitive information, plus: ${names.join(', ')}`;
}

export function grantStatus(g: Grant, now: Date = new Date()): 'active' | 'revoked' | 'expired' | 'scheduled' {
  if (g.revoked) return 'revoked';
  if (g.active) return 'active';
  return Date.parse(g.start) > now.getTime() ? 'scheduled' : 'expired';
}

/** The code as shown: two groups of five, whatever the user typed. */
export function formatShareCode(typed: string): string {
  const s = typed.toUpperCase().replace(/[^0-9A-Z]/g, '');
  return s.length > 5 ? `${s.slice(0, 5)}-${s.slice(5, 10)}` : s;
}

export function isShareCodeComplete(typed: string): boolean {
  return /^[0-9A-Z]{10}$/.test(typed.toUpperCase().replace(/[\s-]/g, ''));
}

export const LOG_KINDS: { value: string; label: string }[] = [
  { value: '', label: 'All kinds' }, { value: 'read', label: 'Viewed' }, { value: 'change', label: 'Changed' },
  { value: 'break-glass', label: 'Emergency access' }, { value: 'share-code', label: 'Share code' },
  { value: 'export', label: 'Export' },
];

export interface LogFilter {
  from: string;
  to: string;
  kind: string;
  who: string;
}

/** Problems of the access-log filter (dates), or undefined. */
export function validateLogFilter(f: LogFilter): string | undefined {
  for (const d of [f.from, f.to]) {
    if (d && !/^\d{4}-\d{2}-\d{2}$/.test(d)) return 'Use dates like 2026-12-31.';
  }
  if (f.from && f.to && f.to < f.from) return 'The "to" date must not be before the "from" date.';
  return undefined;
}

/** "DE" as "Germany" (English names, as the server's access log uses); the code itself when unknown. */
export function countryName(code: string | null | undefined): string {
  if (!code) return 'an unknown country';
  try {
    return new Intl.DisplayNames(['en'], { type: 'region' }).of(code) ?? code;
  } catch {
    return code;
  }
}

/** One row of "who accessed my record" as the server sends it (`AccessLogRow`). */
export interface AccessRow {
  seq: number;
  when: string;
  who: string;
  role: string;
  institution: string | null;
  institutionName: string | null;
  country: string | null;
  countryName: string | null;
  kind: string;
  what: string;
  purpose: string;
  reason: string | null;
  refused: boolean;
  /** The registered app the access was made through (its name), if any (ADR 0031). */
  app?: string | null;
}

/** Accesses by one person, on one day, of one kind, with one outcome and purpose: one line on screen. */
export interface AccessGroup {
  key: string;
  day: string;
  first: string;
  last: string;
  who: string;
  role: string;
  institutionName: string | null;
  countryName: string | null;
  kind: string;
  purpose: string;
  reason: string | null;
  refused: boolean;
  /** Through which app (its name), or null: Meridian itself. */
  app: string | null;
  /** What was done, each with how often, most frequent first. */
  whats: { what: string; count: number }[];
  count: number;
  seqs: number[];
}

/**
 * Groups the access log per accessor, day, kind, outcome and purpose (issue #20: a session that displayed 3,900
 * entries is one line saying so, not 3,900 lines), newest group first; a row the server sent twice (same seq)
 * counts once.
 */
export function groupAccesses(rows: AccessRow[]): AccessGroup[] {
  const seen = new Set<number>();
  const groups = new Map<string, AccessGroup & { counts: Map<string, number> }>();
  for (const r of rows) {
    if (seen.has(r.seq)) continue;
    seen.add(r.seq);
    const day = r.when.slice(0, 10);
    const key = [r.who, r.role, r.institution ?? '', day, r.kind, r.refused, r.purpose, r.reason ?? '', r.app ?? '']
      .join('\u0001');
    let g = groups.get(key);
    if (!g) {
      g = { key, day, first: r.when, last: r.when, who: r.who, role: r.role, institutionName: r.institutionName,
        countryName: r.countryName, kind: r.kind, purpose: r.purpose, reason: r.reason, refused: r.refused,
        app: r.app ?? null, whats: [], count: 0, seqs: [], counts: new Map() };
      groups.set(key, g);
    }
    g.count += 1;
    g.seqs.push(r.seq);
    if (r.when < g.first) g.first = r.when;
    if (r.when > g.last) g.last = r.when;
    g.counts.set(r.what, (g.counts.get(r.what) ?? 0) + 1);
  }
  return [...groups.values()].map(({ counts, ...g }) => ({ ...g,
    whats: [...counts.entries()].map(([what, count]) => ({ what, count }))
      .sort((a, b) => b.count - a.count || a.what.localeCompare(b.what)) }))
    .sort((a, b) => b.last.localeCompare(a.last));
}

/** One page of a list: the items, and "1–25 of 40". */
export function pageOf<T>(items: T[], page: number, size: number): { items: T[]; page: number; pages: number;
  label: string } {
  const pages = Math.max(1, Math.ceil(items.length / size));
  const p = Math.min(Math.max(0, page), pages - 1);
  const slice = items.slice(p * size, (p + 1) * size);
  const label = items.length === 0 ? '0' : `${p * size + 1}–${p * size + slice.length} of ${items.length}`;
  return { items: slice, page: p, pages, label };
}

/** "3,900" — counts with a thousands separator, the same in every browser. */
export function countLabel(n: number): string {
  return n.toLocaleString('en-GB');
}
