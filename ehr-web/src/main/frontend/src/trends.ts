import { codeText, custodianOf, effectiveOf, hasCode, LOINC, type Observation, type Quantity } from './fhir';

/** A lab/vital trend: which LOINC code (and component), its unit and the reference range to shade. */
export interface TrendSpec {
  key: string;
  title: string;
  code: string;
  /** The code system of {@link code}; LOINC when absent. */
  system?: string;
  unit: string;
  series: { label: string; component?: string; range?: [number, number] }[];
}

/**
 * The trends on the summary. Default reference ranges are used when the results carry none: HbA1c below 5.7 %
 * (ADA "normal"), blood pressure 90–120 / 60–80 mmHg (normal adult). Body weight has no population range.
 */
export const TRENDS: TrendSpec[] = [
  { key: 'hba1c', title: 'HbA1c', code: '4548-4', unit: '%', series: [{ label: 'HbA1c', range: [4.0, 5.6] }] },
  { key: 'bp', title: 'Blood pressure', code: '85354-9', unit: 'mmHg', series: [
    { label: 'Systolic', component: '8480-6', range: [90, 120] },
    { label: 'Diastolic', component: '8462-4', range: [60, 80] },
  ] },
  { key: 'weight', title: 'Body weight', code: '29463-7', unit: 'kg', series: [{ label: 'Weight' }] },
];

export interface TrendData {
  /** Unix seconds, ascending. */
  times: number[];
  /** Each result's time as recorded (ADR 0017), aligned with times: what the values table shows. */
  recorded: string[];
  /** One array per series, aligned with times (null where a result lacks that value). */
  values: (number | null)[][];
  /** Per series: the reference range to shade (from the newest result that has one, else the default). */
  ranges: ([number, number] | undefined)[];
  rangeSource: 'result' | 'default' | 'none';
  /** Per result, aligned with times: the institution holding it (custodian), when the server names one. */
  holders: (string | undefined)[];
}

function valueOf(obs: Observation, component?: string): Quantity | undefined {
  if (!component) return obs.valueQuantity;
  return obs.component?.find(c => c.code.coding?.some(cd => cd.code === component))?.valueQuantity;
}

export function trendData(spec: TrendSpec, observations: Observation[]): TrendData {
  const usable = observations
    .filter(o => hasCode(o.code, spec.system ?? LOINC, spec.code) && o.status !== 'entered-in-error')
    .map(o => ({ o, t: Date.parse(effectiveOf(o) ?? '') }))
    .filter(x => !Number.isNaN(x.t))
    .sort((a, b) => a.t - b.t);
  const times = usable.map(x => Math.floor(x.t / 1000));
  const recorded = usable.map(x => effectiveOf(x.o) ?? '');
  const values = spec.series.map(s => usable.map(x => valueOf(x.o, s.component)?.value ?? null));
  let rangeSource: TrendData['rangeSource'] = 'none';
  const newestWithRange = [...usable].reverse().find(x => x.o.referenceRange?.some(r => r.low || r.high));
  const ranges = spec.series.map(s => {
    if (!s.component && newestWithRange) {
      const r = newestWithRange.o.referenceRange!.find(rr => rr.low || rr.high)!;
      rangeSource = 'result';
      return [r.low?.value ?? Number.NEGATIVE_INFINITY, r.high?.value ?? Number.POSITIVE_INFINITY] as [number, number];
    }
    if (s.range && rangeSource !== 'result') rangeSource = 'default';
    return s.range;
  });
  return { times, recorded, values, ranges, rangeSource, holders: usable.map(x => custodianOf(x.o)) };
}

/** Half the time window around a single result: a month either side (issue #20). */
export const SINGLE_POINT_HALF_WINDOW = 30 * 86400;

/**
 * The axes' windows. One result (or several at one instant) gets a fixed time window of a month either side: uPlot's
 * own auto-range stretches a single time to years (issue #20). The value axis spans the values and shaded ranges
 * with a tenth either side; a single value without a range gets a tenth of its own size (never 0 wide).
 */
export function axisWindows(data: TrendData): { x?: [number, number]; y: [number, number] } {
  const all = data.values.flat().filter((v): v is number => v !== null);
  const bounds = data.ranges.flatMap(r => (r ?? []).filter(Number.isFinite));
  const lo = Math.min(...all, ...bounds);
  const hi = Math.max(...all, ...bounds);
  const pad = (hi - lo) * 0.1 || Math.abs(hi) * 0.1 || 1;
  const first = data.times[0];
  const single = data.times.length > 0 && data.times.every(t => t === first);
  return { x: single ? [first - SINGLE_POINT_HALF_WINDOW, first + SINGLE_POINT_HALF_WINDOW] : undefined,
    y: [lo - pad, hi + pad] };
}

/**
 * The series to plot: for each of the spec's series, the values held by the viewer's own institution and, apart,
 * those held by other institutions (marked differently on the chart). Without {@code own} (the patient's portal)
 * nothing is set apart.
 */
export function splitByHolder(data: TrendData, own: string | undefined): { own: (number | null)[][];
  other: (number | null)[][]; anyOther: boolean } {
  const foreign = data.holders.map(h => own !== undefined && h !== undefined && h !== own);
  return {
    own: data.values.map(v => v.map((x, i) => (foreign[i] ? null : x))),
    other: data.values.map(v => v.map((x, i) => (foreign[i] ? x : null))),
    anyOther: foreign.some(Boolean),
  };
}

/** The most recent vital signs, one per kind, newest first. */
export function lastVitals(observations: Observation[]): Observation[] {
  const newest = new Map<string, Observation>();
  for (const o of observations) {
    const key = o.code?.coding?.[0]?.code ?? o.code?.text ?? '';
    const prev = newest.get(key);
    if (!prev || (effectiveOf(o) ?? '') > (effectiveOf(prev) ?? '')) newest.set(key, o);
  }
  return [...newest.values()].sort((a, b) => (effectiveOf(b) ?? '').localeCompare(effectiveOf(a) ?? ''));
}

/** A numeric result the patient has, offered as a trend: its code, how many results and the newest one's time. */
export interface TrendCandidate {
  spec: TrendSpec;
  count: number;
  latest: string;
}

const DEFAULTS = new Map(TRENDS.map(t => [t.code, t]));

function numericComponents(o: Observation): { code: string; label: string; unit?: string }[] {
  return (o.component ?? []).filter(c => typeof c.valueQuantity?.value === 'number').map(c => ({
    code: c.code.coding?.[0]?.code ?? '', label: codeText(c.code) || (c.code.coding?.[0]?.code ?? ''),
    unit: c.valueQuantity?.unit ?? c.valueQuantity?.code })).filter(c => c.code);
}

/**
 * The trends this patient's own results allow (issue #20: not a fixed set): every code with a numeric value (or
 * numeric components, each a series: blood pressure by component code), most results first, then the most recent.
 * The typical adult ranges of HbA1c and blood pressure are kept for those codes when results carry none.
 */
export function trendCandidates(observations: Observation[]): TrendCandidate[] {
  const byCode = new Map<string, TrendCandidate>();
  for (const o of observations) {
    if (o.status === 'entered-in-error') continue;
    const coding = o.code?.coding?.find(c => c.system === LOINC && c.code) ?? o.code?.coding?.find(c => c.code);
    if (!coding?.code) continue;
    const parts = numericComponents(o);
    const single = typeof o.valueQuantity?.value === 'number';
    if (!single && !parts.length) continue;
    const key = `${coding.system ?? ''}|${coding.code}`;
    const when = effectiveOf(o) ?? '';
    const seen = byCode.get(key);
    if (seen) {
      seen.count += 1;
      if (when > seen.latest) seen.latest = when;
      continue;
    }
    const known = coding.system === LOINC ? DEFAULTS.get(coding.code) : undefined;
    const title = known?.title ?? (codeText(o.code) || coding.display || coding.code);
    const spec: TrendSpec = known ?? { key: coding.code, title, code: coding.code, system: coding.system,
      unit: (single ? o.valueQuantity?.unit ?? o.valueQuantity?.code : parts[0].unit) ?? '',
      series: single ? [{ label: title }] : parts.map(p => ({ label: p.label, component: p.code })) };
    byCode.set(key, { spec: { ...spec, system: coding.system }, count: 1, latest: when });
  }
  return [...byCode.values()].sort((a, b) => b.count - a.count || b.latest.localeCompare(a.latest));
}
