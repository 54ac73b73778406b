/**
 * The cohort builder's pure logic (issue #8): the form's state becomes the JSON definition the API takes
 * (POST api/cohorts/count), and the API's answer becomes rows to show. No DOM here, so it is unit-tested.
 */

export const CRITERION_TYPES = ['demographics', 'condition', 'observation', 'medication', 'procedure',
  'immunization', 'encounter'] as const;
export type CriterionType = typeof CRITERION_TYPES[number];
export const COMPARATORS = ['gt', 'ge', 'lt', 'le', 'eq'] as const;

/** One row of the builder, as the user typed it (strings, as form controls hold them). */
export interface CriterionRow {
  type: CriterionType;
  exclude: boolean;
  codes: string;
  from: string;
  to: string;
  comparator: string;
  value: string;
  unit: string;
  gender: string;
  minAge: string;
  maxAge: string;
}

export interface BuilderState {
  match: 'and' | 'or';
  indexDate: string;
  rows: CriterionRow[];
}

export function emptyRow(type: CriterionType = 'condition'): CriterionRow {
  return { type, exclude: false, codes: '', from: '', to: '', comparator: '', value: '', unit: '', gender: '',
    minAge: '', maxAge: '' };
}

/** Codes as typed: one per line or comma-separated, each system|code. */
export function parseCodes(text: string): string[] {
  return text.split(/[\n,]+/).map(s => s.trim()).filter(Boolean);
}

/** Problems the user can fix before asking the server (the server checks everything again). */
export function problems(state: BuilderState): string[] {
  const out: string[] = [];
  if (state.rows.length === 0) out.push('Add at least one criterion.');
  if (state.rows.length > 0 && state.rows.every(r => r.exclude)) {
    out.push('A cohort needs at least one criterion that is not excluded.');
  }
  state.rows.forEach((r, i) => {
    const n = `Criterion ${i + 1}`;
    const codes = parseCodes(r.codes);
    if (r.type !== 'demographics' && r.type !== 'encounter' && codes.length === 0) {
      out.push(`${n}: enter at least one code as system|code.`);
    }
    codes.filter(c => !/^[^|\s]+\|[^|\s]+$/.test(c)).forEach(c => out.push(`${n}: "${c}" is not system|code.`));
    if (r.type === 'observation' && (r.comparator || r.value || r.unit)) {
      if (!r.comparator || r.value === '' || Number.isNaN(Number(r.value)) || !r.unit.trim()) {
        out.push(`${n}: a value comparison needs a comparator, a number and a unit.`);
      }
    }
    if (r.type === 'demographics' && !r.gender && r.minAge === '' && r.maxAge === '') {
      out.push(`${n}: choose a gender or an age range.`);
    }
    if (r.from && r.to && r.from >= r.to) out.push(`${n}: "from" must be before "to".`);
  });
  return out;
}

type Json = Record<string, unknown>;

function criterion(r: CriterionRow): Json {
  if (r.type === 'demographics') {
    const d: Json = { type: 'demographics' };
    if (r.gender) d.gender = r.gender;
    if (r.minAge !== '') d.minAge = Number(r.minAge);
    if (r.maxAge !== '') d.maxAge = Number(r.maxAge);
    return d;
  }
  const c: Json = { type: r.type };
  const codes = parseCodes(r.codes);
  if (codes.length) c.codes = codes;
  if (r.from || r.to) {
    const w: Json = {};
    if (r.from) w.from = r.from;
    if (r.to) w.to = r.to;
    c.window = w;
  }
  if (r.type === 'observation' && r.comparator) {
    c.value = { comparator: r.comparator, value: Number(r.value), unit: r.unit.trim() };
  }
  return c;
}

/** The API's JSON definition: the rows combined by "all"/"any", excluded rows as NOT groups. */
export function toDefinition(state: BuilderState, name?: string): Json {
  const items = state.rows.map(r => r.exclude ? { op: 'not', items: [criterion(r)] } : criterion(r));
  const def: Json = { criteria: items.length === 1 ? items[0] : { op: state.match, items } };
  if (state.indexDate) def.indexDate = state.indexDate;
  if (name) def.name = name;
  return def;
}

/** A published count: the number, "<5" (1 to 4), or "suppressed" (hidden so that a small cell cannot be derived). */
export type Published = number | '<5' | 'suppressed';

export interface CohortResult {
  count: Published;
  breakdowns: Record<string, Record<string, Published>>;
  tookMs: number;
  indexDate: string;
  population: string;
  /** Seconds the cohort index lags behind the record store (0: up to date); absent from older servers. */
  indexLagSeconds?: number;
}

/** A cell as shown: "<5" only for a count of 1 to 4; a complementary-suppressed cell is "suppressed". */
export function cellText(v: Published): string {
  return v === 'suppressed' ? 'suppressed' : String(v);
}

/** Why a count of research-consented persons can be 0 (a researcher sees only those). */
export function emptyResultNote(result: CohortResult): string | undefined {
  if (result.count !== 0) return undefined;
  return result.population === 'research-consented'
    ? 'Only persons who consented to research use are counted for you. 0 means that nobody matching these '
      + 'criteria has given research consent at the institutions you work with (or no research consents are '
      + 'recorded there yet) — not necessarily that nobody matches.'
    : 'Nobody in the institutions you work with matches these criteria.';
}

/** The index freshness line: "Index up to date", or how far behind it is (recent changes not counted yet). */
export function freshnessText(lag: number | undefined): string | undefined {
  if (lag === undefined || lag === null) return undefined;
  if (lag <= 5) return 'Index up to date';
  const ago = lag < 120 ? `${lag} s` : lag < 7200 ? `${Math.round(lag / 60)} min` : `${Math.round(lag / 3600)} h`;
  return `Index ${ago} behind: changes of the last ${ago} are not counted yet`;
}

export const DIMENSION_LABELS: Record<string, string> = {
  ageBand: 'Age at index date', gender: 'Gender', institution: 'Institution',
  year: 'Year of the first qualifying record',
};

/** The rows of one breakdown, in the server's order, with a share of the total where both are known. */
export function breakdownRows(result: CohortResult, dimension: string): { label: string; value: string;
  share: string }[] {
  const cells = result.breakdowns[dimension] ?? {};
  return Object.entries(cells).map(([label, v]) => ({
    label,
    value: cellText(v),
    share: typeof v === 'number' && typeof result.count === 'number' && result.count > 0
      ? `${Math.round((v / result.count) * 100)} %` : '',
  }));
}
