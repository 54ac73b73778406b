import { effectiveOf, hasCode, LOINC, type Observation, type Quantity } from './fhir';

/** A lab/vital trend: which LOINC code (and component), its unit and the reference range to shade. */
export interface TrendSpec {
  key: string;
  title: string;
  code: string;
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
}

function valueOf(obs: Observation, component?: string): Quantity | undefined {
  if (!component) return obs.valueQuantity;
  return obs.component?.find(c => hasCode(c.code, LOINC, component))?.valueQuantity;
}

export function trendData(spec: TrendSpec, observations: Observation[]): TrendData {
  const usable = observations
    .filter(o => hasCode(o.code, LOINC, spec.code) && o.status !== 'entered-in-error')
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
  return { times, recorded, values, ranges, rangeSource };
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
