import { custodians, doseText, ipsView, itemOf, resultFlag } from '../src/ips-model';
import type { Observation } from '../src/fhir';

const tag = (tenant: string) => ({ tag: [{ system: 'urn:meridian:tenant', code: tenant }] });
const base = 'http://127.0.0.1:8080/fhir';

const doc = { resourceType: 'Bundle', type: 'document', entry: [
  { fullUrl: `${base}/Composition/c1`, resource: { resourceType: 'Composition', id: 'c1', section: [
    { title: 'Problem list', code: { coding: [{ code: '11450-4' }] }, entry: [{ reference: 'Condition/d1' }],
      text: { div: '<div><ul><li>Condition: Diabetes</li></ul></div>' } },
    { title: 'Medication summary', code: { coding: [{ code: '10160-0' }] }, entry: [{ reference: 'MedicationRequest/m1' }] },
    { title: 'Allergies and intolerances', code: { coding: [{ code: '48765-2' }] }, entry: [{ reference: 'AllergyIntolerance/a1' }] },
    { title: 'Results', code: { coding: [{ code: '30954-2' }] }, entry: [{ reference: 'Observation/o1' }] },
    { title: 'Vital signs', code: { coding: [{ code: '8716-3' }] }, entry: [{ reference: 'Observation/bp' }] },
    { title: 'Immunizations', code: { coding: [{ code: '11369-6' }] }, emptyReason: { text: 'No information available' } },
  ] } },
  { fullUrl: `${base}/Patient/p1`, resource: { resourceType: 'Patient', id: 'p1', meta: tag('nl-amstel') } },
  { fullUrl: `${base}/Condition/d1`, resource: { resourceType: 'Condition', id: 'd1', meta: tag('nl-amstel'),
    code: { text: 'Diabetes mellitus type 2' }, onsetDateTime: '2019-03-02T10:00:00+01:00',
    clinicalStatus: { coding: [{ code: 'active' }] }, verificationStatus: { coding: [{ code: 'confirmed' }] } } },
  { fullUrl: `${base}/MedicationRequest/m1`, resource: { resourceType: 'MedicationRequest', id: 'm1', status: 'active',
    meta: tag('de-spree'), medicationReference: { reference: 'Medication/med1' }, authoredOn: '2024-01-05',
    dosageInstruction: [{ doseAndRate: [{ doseQuantity: { value: 500, unit: 'mg' } }],
      timing: { repeat: { frequency: 2, period: 1, periodUnit: 'd' } }, route: { text: 'oral' } }] } },
  { fullUrl: `${base}/Medication/med1`, resource: { resourceType: 'Medication', id: 'med1',
    code: { text: 'Metformin 500 mg tablet' } } },
  { fullUrl: `${base}/AllergyIntolerance/a1`, resource: { resourceType: 'AllergyIntolerance', id: 'a1',
    code: { text: 'Penicillin' }, criticality: 'high', category: ['medication'],
    reaction: [{ manifestation: [{ text: 'Hives' }], severity: 'moderate' }] } },
  { fullUrl: `${base}/Observation/o1`, resource: { resourceType: 'Observation', id: 'o1', code: { text: 'HbA1c' },
    effectiveDateTime: '2025-11-03T09:10:00+01:00', valueQuantity: { value: 7.91, unit: '%' },
    referenceRange: [{ low: { value: 4, unit: '%' }, high: { value: 6, unit: '%' } }] } },
  { fullUrl: `${base}/Observation/bp`, resource: { resourceType: 'Observation', id: 'bp', code: { text: 'Blood pressure' },
    effectiveDateTime: '2025-11-03', component: [
      { code: { coding: [{ system: 'http://loinc.org', code: '8462-4' }] }, valueQuantity: { value: 82, unit: 'mmHg' } },
      { code: { coding: [{ system: 'http://loinc.org', code: '8480-6' }] }, valueQuantity: { value: 138, unit: 'mmHg' } }] } },
] };

describe('the IPS by share code, as a clinician reads it', () => {
  const sections = ipsView(doc);
  const items = (code: string) => sections.find(s => s.code === code)!.items;

  it('gives results and vital signs their values, ranges and flags', () => {
    expect(items('30954-2')).toEqual([{ title: 'HbA1c', detail: '7.91 %', meta: '2025-11-03 · ref. 4–6 %', flag: 'H' }]);
    expect(items('8716-3')[0]).toMatchObject({ title: 'Blood pressure', detail: '138/82 mmHg' });
  });

  it('gives drugs their dose (the Medication resolved in the document) and allergies their reaction', () => {
    expect(items('10160-0')).toEqual([{ title: 'Metformin 500 mg tablet', detail: '500 mg, twice a day, oral',
      meta: 'active · since 2024-01-05' }]);
    expect(items('48765-2')).toEqual([{ title: 'Penicillin', detail: 'Reaction: Hives (moderate)',
      meta: 'criticality high · medication', flag: 'High risk',
      flagTitle: 'Criticality high: a reaction may be life-threatening' }]);
  });

  it('marks only a high-criticality allergy as high risk', () => {
    const allergy = (criticality?: string) => itemOf({ resourceType: 'AllergyIntolerance', code: { text: 'Latex' },
      ...(criticality ? { criticality } : {}) }, () => undefined);
    expect(allergy('high')?.flag).toBe('High risk');
    expect(allergy('low')?.flag).toBeUndefined();
    expect(allergy('unable-to-assess')?.flag).toBeUndefined();
    expect(allergy()?.flag).toBeUndefined();
  });

  it('never prefixes lines with FHIR type names, and says why a section is empty', () => {
    expect(items('11450-4')).toEqual([{ title: 'Diabetes mellitus type 2', detail: '',
      meta: 'since 2019-03-02 · active · confirmed' }]);
    const all = sections.flatMap(s => s.items.map(i => `${i.title} ${i.detail} ${i.meta}`));
    expect(all.some(l => /^(Condition|Observation|MedicationRequest|AllergyIntolerance)\b/.test(l))).toBe(false);
    expect(sections.find(s => s.code === '11369-6')).toMatchObject({ items: [], emptyText: 'No information available' });
  });

  it('names every institution holding something in the document', () => {
    expect(custodians(doc, 'nl-amstel')).toEqual(['nl-amstel', 'de-spree']);
  });

  it('flags from the lab\u2019s interpretation first, else from the reference range', () => {
    const o = (v: number, code?: string): Observation => ({ resourceType: 'Observation', valueQuantity: { value: v },
      referenceRange: [{ low: { value: 4 }, high: { value: 6 } }],
      ...(code ? { interpretation: [{ coding: [{ code }] }] } : {}) });
    expect([resultFlag(o(3)), resultFlag(o(5)), resultFlag(o(7)), resultFlag(o(5, 'HH'))])
      .toEqual(['L', undefined, 'H', 'critical H']);
    expect(doseText({ text: 'One tablet at night' })).toBe('One tablet at night');
  });
});
