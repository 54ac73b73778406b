import { flowsheet } from '../src/flowsheet';
import type { Observation } from '../src/fhir';

const LOINC = 'http://loinc.org';
const lab = (id: string, when: string, value: number, interp?: string): Observation => ({ resourceType: 'Observation',
  id, code: { coding: [{ system: LOINC, code: '4548-4' }], text: 'HbA1c' }, effectiveDateTime: when,
  valueQuantity: { value, unit: '%' }, referenceRange: [{ low: { value: 4, unit: '%' }, high: { value: 5.6, unit: '%' } }],
  ...(interp ? { interpretation: [{ coding: [{ code: interp }] }] } : {}) } as Observation);
const bp = (id: string, when: string): Observation => ({ resourceType: 'Observation', id,
  code: { coding: [{ system: LOINC, code: '85354-9' }], text: 'Blood pressure' }, effectiveDateTime: when,
  component: [{ code: { coding: [{ system: LOINC, code: '8462-4' }] }, valueQuantity: { value: 80, unit: 'mmHg' } },
    { code: { coding: [{ system: LOINC, code: '8480-6' }] }, valueQuantity: { value: 135, unit: 'mmHg' } }] });

describe('flowsheet', () => {
  it('puts analytes against recorded days, newest first, with ranges and H/L flags', () => {
    const sheet = flowsheet([lab('a', '2025-01-10T09:00:00+01:00', 7.2), lab('b', '2025-03-01T23:30:00-05:00', 3.9),
      lab('c', '2025-03-01T08:00:00-05:00', 5.0), bp('p', '2025-02-02'), lab('d', '2024-12-01', 5.1, 'HH')]);
    expect(sheet.days).toEqual(['2025-03-01', '2025-02-02', '2025-01-10', '2024-12-01']);
    const hba1c = sheet.rows.find(r => r.title === 'HbA1c')!;
    expect(hba1c.range).toBe('4–5.6 %');
    expect(hba1c.cells['2025-03-01']).toEqual({ text: '3.9 %', flag: 'L', id: 'b' }); // the day's newest value
    expect(hba1c.cells['2025-01-10']).toEqual({ text: '7.2 %', flag: 'H', id: 'a' });
    expect(hba1c.cells['2024-12-01'].flag).toBe('critical H');
    expect(sheet.rows.find(r => r.title === 'Blood pressure')!.cells['2025-02-02'].text).toBe('135/80 mmHg');
  });

  it('keeps the newest days only', () => {
    const many = Array.from({ length: 12 }, (_, i) => lab(`x${i}`, `2025-01-${String(i + 1).padStart(2, '0')}`, 5));
    expect(flowsheet(many, 8).days).toHaveLength(8);
    expect(flowsheet(many, 8).days[0]).toBe('2025-01-12');
  });
});
