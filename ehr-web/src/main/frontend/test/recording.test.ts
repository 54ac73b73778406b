import { describe, expect, it } from 'vitest';
import { amended, authorOf, enteredInError, isEnteredInError, medicationOrder, problemCondition, resultObservation,
  vitalsObservations } from '../src/record-builders';
import { codeLabel, lookup, RXNORM, SNOMED, VALUE_SETS } from '../src/terminology';
import type { Resource } from '../src/fhir';
import { encounterChoice, encounterLabel, type Encounter } from '../src/encounters';

const me = { practitionerId: 'prac-nl-jansen', name: 'Pieter Jansen', encounter: 'enc-1' };

describe('terminology lookup while recording (issue #20)', () => {
  it('offers codes whose words start with what was typed, synonyms included, accents and case folded', () => {
    expect(lookup('problem', 'hypert').map(c => c.code)).toEqual(['38341003', '59621000']);
    expect(lookup('result', 'hba1c').map(c => c.code)).toEqual(['4548-4']);
    expect(lookup('result', 'GLUC').map(c => c.code)).toEqual(['15074-8']);
    expect(lookup('medication', 'metf').map(c => [c.system, c.code])).toEqual([[RXNORM, '860975']]);
    expect(lookup('problem', 'ANÉMIA')[0].display).toBe('Anemia');
  });

  it('needs two characters, and every typed word must match', () => {
    expect(lookup('problem', 'h')).toEqual([]);
    expect(lookup('problem', 'type 2 diab').map(c => c.code)).toEqual(['44054006']);
    expect(lookup('problem', 'diabetes asthma')).toEqual([]);
  });

  it('each result code carries its UCUM unit, each code a unique system|code', () => {
    expect(VALUE_SETS.result.every(c => c.unit?.code)).toBe(true);
    const keys = Object.values(VALUE_SETS).flat().map(c => `${c.system}|${c.code}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect(codeLabel({ system: SNOMED, code: '38341003' })).toBe('SNOMED CT 38341003');
  });
});

describe('recorded within an encounter, with the author (issue #20)', () => {
  it('a coded problem names its recorder and asserter and its encounter', () => {
    const c = problemCondition('p1', 'Hypertension', undefined, '2026-12-06T10:00:00+01:00',
      lookup('problem', 'hypertension')[0], me) as Record<string, unknown>;
    expect(c.code).toEqual({ coding: [{ system: SNOMED, code: '38341003', display: 'Hypertension' }],
      text: 'Hypertension' });
    expect(c.recorder).toEqual({ reference: 'Practitioner/prac-nl-jansen', display: 'Pieter Jansen' });
    expect(c.asserter).toEqual(c.recorder);
    expect(c.encounter).toEqual({ reference: 'Encounter/enc-1' });
  });

  it('free text stays uncoded; no encounter chosen means none referenced', () => {
    const c = problemCondition('p1', 'Odd rash', undefined, '2026-12-06', undefined,
      { practitionerId: 'x' }) as Record<string, unknown>;
    expect(c.code).toEqual({ text: 'Odd rash' });
    expect(c).not.toHaveProperty('encounter');
  });

  it('a medication order names its requester; a result its performer, code and unit; vitals their performer', () => {
    const m = medicationOrder('p1', 'lisinopril 10 MG Oral Tablet', '1 daily', '2026-12-06',
      lookup('medication', 'lisinopril')[0], me);
    expect(authorOf(m)).toBe('Practitioner/prac-nl-jansen');
    expect((m.medicationCodeableConcept as { coding: { code: string }[] }).coding[0].code).toBe('314076');
    const o = resultObservation('p1', lookup('result', 'hba1c')[0], 6.4, '2026-12-06T10:00:00+01:00', me);
    expect(authorOf(o)).toBe('Practitioner/prac-nl-jansen');
    expect(o.valueQuantity).toEqual({ value: 6.4, unit: '%', system: 'http://unitsofmeasure.org', code: '%' });
    expect((o.category as { coding: { code: string }[] }[])[0].coding[0].code).toBe('laboratory');
    const [w] = vitalsObservations('p1', { weight: 8.4, effective: '2026-12-06T10:00:00+01:00' }, me);
    expect(authorOf(w)).toBe('Practitioner/prac-nl-jansen');
    expect(w.encounter).toEqual({ reference: 'Encounter/enc-1' });
  });
});

describe('entered in error and amend (issue #20)', () => {
  it('a problem entered in error loses its clinical status (con-5) and says so in its verification status', () => {
    const c = { ...problemCondition('p1', 'Asthma', undefined, '2026-12-06'), id: 'c1' };
    const wrong = enteredInError(c) as Record<string, unknown>;
    expect(wrong).not.toHaveProperty('clinicalStatus');
    expect((wrong.verificationStatus as { coding: { code: string }[] }).coding[0].code).toBe('entered-in-error');
    expect(isEnteredInError(wrong as never)).toBe(true);
    expect(isEnteredInError(c)).toBe(false);
    expect(c).toHaveProperty('clinicalStatus');
  });

  it('other entries by their status', () => {
    const o = resultObservation('p1', lookup('result', 'glucose')[0], 6.1, '2026-12-06', me);
    expect(enteredInError(o).status).toBe('entered-in-error');
  });

  it('an amended value keeps everything else and marks the observation amended', () => {
    const o: Resource = { ...resultObservation('p1', lookup('result', 'glucose')[0], 6.1, '2026-12-06', me), id: 'o1' };
    const a = amended(o, { value: 7.2 }) as Record<string, unknown>;
    expect((a.valueQuantity as { value: number; unit: string })).toMatchObject({ value: 7.2, unit: 'mmol/L' });
    expect(a.status).toBe('amended');
    expect(a.code).toEqual(o.code);
    expect((o.valueQuantity as { value: number }).value).toBe(6.1);
    const m = amended(medicationOrder('p1', 'x', '1 daily', '2026-12-06'), { dosage: '2 daily' });
    expect(m.dosageInstruction).toEqual([{ text: '2 daily' }]);
    const c = amended(problemCondition('p1', 'Asthma', '2020-01-01', '2026-12-06'), { onset: '2019-05-01' });
    expect(c.onsetDateTime).toBe('2019-05-01');
  });
});

describe('which encounter by default (issue #20)', () => {
  const enc = (id: string, status: string, start: string): Encounter => ({ resourceType: 'Encounter', id, status,
    period: { start }, type: [{ text: 'General examination' }] });
  const now = new Date(2026, 11, 6, 14, 0);

  it('the one under way, else one begun today, else none (an old encounter is never chosen for you)', () => {
    expect(encounterChoice([enc('a', 'finished', '2026-12-06'), enc('b', 'in-progress', '2026-12-01')], now)).toBe('b');
    expect(encounterChoice([enc('a', 'finished', '2026-12-06'), enc('c', 'finished', '2026-11-01')], now)).toBe('a');
    expect(encounterChoice([enc('c', 'finished', '2026-11-01')], now)).toBeUndefined();
    expect(encounterChoice([], now)).toBeUndefined();
  });

  it('is labelled by what, when and its state', () => {
    expect(encounterLabel(enc('b', 'in-progress', '2026-12-01'))).toBe('General examination · 2026-12-01 · in progress');
  });
});
