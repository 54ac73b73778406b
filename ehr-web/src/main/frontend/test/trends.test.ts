import { axisWindows, SINGLE_POINT_HALF_WINDOW, splitByHolder, trendCandidates, trendData } from '../src/trends';
import type { Observation } from '../src/fhir';

const LOINC = 'http://loinc.org';

function obs(code: string, display: string, when: string, value?: number, unit = 'mmol/L', tenant?: string,
  components?: [string, string, number][]): Observation {
  return {
    resourceType: 'Observation', status: 'final', code: { coding: [{ system: LOINC, code, display }], text: display },
    effectiveDateTime: when,
    ...(value === undefined ? {} : { valueQuantity: { value, unit } }),
    ...(components ? { component: components.map(([c, d, v]) => ({ code: { coding: [{ system: LOINC, code: c,
      display: d }], text: d }, valueQuantity: { value: v, unit: 'mmHg' } })) } : {}),
    ...(tenant ? { meta: { tag: [{ system: 'urn:meridian:tenant', code: tenant }] } } : {}),
  } as Observation;
}

describe('trends chosen from the patient\u2019s own results (issue #20)', () => {
  it('offers every code with numeric results, most results first, then the most recent', () => {
    const c = trendCandidates([
      obs('2339-0', 'Glucose', '2026-01-01T10:00:00+01:00', 6.1),
      obs('2339-0', 'Glucose', '2026-02-01T10:00:00+01:00', 6.4),
      obs('2093-3', 'Cholesterol', '2026-03-01T10:00:00+01:00', 5.2),
      obs('6690-2', 'Leukocytes', '2026-04-01T10:00:00+01:00', 7.1),
      obs('72166-2', 'Smoking status', '2026-04-02T10:00:00+01:00'),
      obs('85354-9', 'Blood pressure panel', '2025-12-01T10:00:00+01:00', undefined, '', undefined,
        [['8462-4', 'Diastolic', 80], ['8480-6', 'Systolic', 130]]),
      { ...obs('2339-0', 'Glucose', '2026-05-01T10:00:00+01:00', 60), status: 'entered-in-error' } as Observation,
    ]);
    expect(c.map(x => [x.spec.title, x.count])).toEqual([['Glucose', 2], ['Leukocytes', 1], ['Cholesterol', 1],
      ['Blood pressure', 1]]);
    expect(c[0].spec).toMatchObject({ code: '2339-0', system: LOINC, unit: 'mmol/L', series: [{ label: 'Glucose' }] });
    expect(c[0].latest).toBe('2026-02-01T10:00:00+01:00');
    // blood pressure keeps its series by component code and its typical range
    expect(c[3].spec.series.map(s => s.component)).toEqual(['8480-6', '8462-4']);
    expect(c[3].spec.series[0].range).toEqual([90, 120]);
  });

  it('sets other institutions\u2019 results apart, and nothing without an own institution', () => {
    const spec = trendCandidates([obs('2339-0', 'Glucose', '2026-01-01T10:00:00Z', 6.1)])[0].spec;
    const data = trendData(spec, [obs('2339-0', 'Glucose', '2026-01-01T10:00:00Z', 6.1, 'mmol/L', 'nl-amstel'),
      obs('2339-0', 'Glucose', '2026-02-01T10:00:00Z', 7.3, 'mmol/L', 'de-spree')]);
    expect(data.holders).toEqual(['nl-amstel', 'de-spree']);
    const split = splitByHolder(data, 'nl-amstel');
    expect(split).toEqual({ own: [[6.1, null]], other: [[null, 7.3]], anyOther: true });
    expect(splitByHolder(data, undefined).anyOther).toBe(false);
  });
});

describe('a single-point trend (issue #20)', () => {
  const glucose = { key: 'g', title: 'Glucose', code: '2339-0', unit: 'mmol/L', series: [{ label: 'Glucose' }] };

  it('has a fixed window of a month either side of its one result, not uPlot\u2019s years-wide auto range', () => {
    const data = trendData(glucose, [obs('2339-0', 'Glucose', '2026-01-01T10:00:00+01:00', 6.1)]);
    const w = axisWindows(data);
    expect(w.x).toEqual([data.times[0] - SINGLE_POINT_HALF_WINDOW, data.times[0] + SINGLE_POINT_HALF_WINDOW]);
    expect((w.x![1] - w.x![0]) / 86400).toBe(60);
    expect(w.y[0]).toBeCloseTo(6.1 - 0.61);
    expect(w.y[1]).toBeCloseTo(6.1 + 0.61);
  });

  it('leaves the time axis to uPlot when there are several results, and pads values by a tenth of their span', () => {
    const data = trendData(glucose, [obs('2339-0', 'Glucose', '2026-01-01T10:00:00+01:00', 5),
      obs('2339-0', 'Glucose', '2026-03-01T10:00:00+01:00', 7)]);
    expect(axisWindows(data)).toEqual({ x: undefined, y: [4.8, 7.2] });
  });

  it('a single small value keeps a window of its own size, not \u00b11', () => {
    const tsh = { ...glucose, code: 'x' };
    const w = axisWindows(trendData(tsh, [obs('x', 'X', '2026-01-01T10:00:00+01:00', 0.02)]));
    expect(w.y[1] - w.y[0]).toBeCloseTo(0.004);
  });
});
