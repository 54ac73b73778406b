import { FakeServer, settle } from './fake-server';
import { formatDateTime, formatTime, observationValueText, parseRecorded, type Observation } from '../src/fhir';
import { dateTimeWithOffset, parseDecimal } from '../src/record-builders';
import { lastVitals, trendData, TRENDS } from '../src/trends';
import { breakGlassPanel, explainError } from '../src/views/breakglass';
import { entryFacts, entryTitle, renderEntry } from '../src/views/entry';
import { demographics, identifierText } from '../src/views/patient-banner';
import { renderRecord } from '../src/views/record';
import { TimelineView } from '../src/views/timeline';
import { BreakGlassStore, type AppContext } from '../src/context';
import { ApiError } from '../src/api';

/** Issue #20, "Unsafe — fix first": each test here fails on the behaviour the issue reported. */

function context(server: FakeServer, navigate: (p: string) => void = () => {}): AppContext {
  return { api: server.api(), user: { username: 'dr.jansen', name: 'Pieter Jansen', tenant: 'nl-amstel',
    roles: ['clinician'] },
  institutions: new Map([['nl-amstel', { id: 'nl-amstel', name: 'Amstel Hospital', country: 'NL' }]]),
  breakGlass: new BreakGlassStore(sessionStorage), navigate };
}

const bp = (first: [string, number], second: [string, number]): Observation => ({
  resourceType: 'Observation', id: 'bp1', status: 'final', effectiveDateTime: '2024-05-01T09:10:00+01:00',
  code: { coding: [{ system: 'http://loinc.org', code: '85354-9' }], text: 'Blood pressure panel' },
  component: [first, second].map(([code, value]) => ({ code: { coding: [{ system: 'http://loinc.org', code }] },
    valueQuantity: { value, unit: 'mmHg' } })),
});

describe('blood pressure by component code, never by position', () => {
  it('reads a diastolic-first panel (as Synthea writes it) as systolic/diastolic', () => {
    expect(observationValueText(bp(['8462-4', 82], ['8480-6', 131]))).toBe('131/82 mmHg');
    expect(observationValueText(bp(['8480-6', 131], ['8462-4', 82]))).toBe('131/82 mmHg');
  });

  it('names other components by their own code', () => {
    const o = bp(['8480-6', 131], ['x', 1]);
    o.component = [{ code: { text: 'Left eye' }, valueQuantity: { value: 14, unit: 'mmHg' } },
      { code: { text: 'Right eye' }, valueQuantity: { value: 16, unit: 'mmHg' } }];
    expect(observationValueText(o)).toBe('Left eye 14 mmHg; Right eye 16 mmHg');
  });

  it('names an observation by its category, not by its FHIR type', () => {
    const withCategory = (code?: string) => new Map(entryFacts({ ...bp(['8462-4', 82], ['8480-6', 131]),
      category: code ? [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code }] }]
        : undefined } as Observation));
    expect(withCategory('vital-signs').get('Kind')).toBe('Vital sign');
    expect(withCategory('laboratory').get('Kind')).toBe('Laboratory result');
    expect(withCategory('unknown-category').get('Kind')).toBe('Observation');
    expect(withCategory().get('Kind')).toBe('Observation');
  });

  it('shows the entry detail value the same way', () => {
    const facts = new Map(entryFacts(bp(['8462-4', 82], ['8480-6', 131])));
    expect(facts.get('Value')).toBe('131/82 mmHg');
    expect(lastVitals([bp(['8462-4', 82], ['8480-6', 131])])).toHaveLength(1);
  });
});

describe('one rule for clock times (ADR 0017): as recorded, with the offset', () => {
  it('shows the recorded local time and its offset, whatever the browser zone', () => {
    expect(formatDateTime('2024-05-01T09:10:00+01:00')).toBe('2024-05-01 09:10 (UTC+01:00)');
    expect(formatTime('2024-05-01T09:10:00+01:00')).toBe('09:10 (UTC+01:00)');
    expect(formatDateTime('2024-05-01T23:50:00-05:00')).toBe('2024-05-01 23:50 (UTC\u221205:00)');
    expect(formatDateTime('2024-05-01T08:10:00.000Z')).toBe('2024-05-01 08:10 (UTC)');
  });

  it('shows a date-only value as a date, never an invented 00:00', () => {
    expect(formatDateTime('2024-05-01')).toBe('2024-05-01');
    expect(formatTime('2024-05-01')).toBe('');
    expect(formatDateTime('2024-05')).toBe('2024-05');
  });

  it('lists trend values at their recorded time', () => {
    const o = bp(['8462-4', 82], ['8480-6', 131]);
    const data = trendData(TRENDS.find(t => t.key === 'bp')!, [o]);
    expect(data.recorded).toEqual(['2024-05-01T09:10:00+01:00']);
    expect(data.values).toEqual([[131], [82]]);
  });

  it('labels a time recorded without a zone', () => {
    expect(parseRecorded('2024-05-01T09:10:00')).toEqual({ date: '2024-05-01', time: '09:10', zone: undefined });
    expect(formatDateTime('2024-05-01T09:10:00')).toBe('2024-05-01 09:10 (time zone not recorded)');
  });

  it('records vitals with the browser\u2019s own offset, not as UTC', () => {
    expect(dateTimeWithOffset('2026-12-06T13:45', -60)).toBe('2026-12-06T13:45:00+01:00');
    expect(dateTimeWithOffset('2026-07-06T08:05', 240)).toBe('2026-07-06T08:05:00-04:00');
    expect(dateTimeWithOffset('2026-07-06T08:05', 0)).toBe('2026-07-06T08:05:00+00:00');
  });

  it('the timeline shows 09:10 with its offset for an entry at 09:10+01:00, and no time for a date', async () => {
    const server = new FakeServer().on('GET', /timeline/, { status: 200, body: {
      patient: { id: 'p1' }, next: null, total: 2, entries: [
        { type: 'Observation', id: 'o1', effective: '2024-05-01T09:10:00+01:00', title: 'Blood pressure',
          detail: '131/82 mmHg', withheld: false },
        { type: 'Condition', id: 'c1', effective: '2024-04-30', title: 'Hypertension', withheld: false }] } });
    const view = new TimelineView({ api: server.api(), patientId: 'p1', entryLink: () => '#', institutionName: () => undefined,
      onDenied: () => {}, observe: () => () => {} });
    document.body.replaceChildren(view.element);
    await view.reload();
    const times = [...document.querySelectorAll('.entry .when')].map(t => t.textContent);
    expect(times).toEqual(['09:10UTC+01:00', '']);
    expect(document.querySelector('.entry .when')!.getAttribute('title')).toBe('2024-05-01 09:10 (UTC+01:00)');
    expect([...document.querySelectorAll('.day')].map(d => d.getAttribute('data-day'))).toEqual(['2024-05-01', '2024-04-30']);
  });
});

describe('entry detail: a patient banner and a readable entry', () => {
  it('shows whose entry it is and the entry by its code, raw FHIR only on request', async () => {
    const server = new FakeServer()
      .on('GET', /fhir\/Patient\/p1$/, { status: 200, body: { resourceType: 'Patient', id: 'p1',
        name: [{ family: 'Visser', given: ['Anna'] }], gender: 'female', birthDate: '1961-04-02',
        identifier: [{ system: 'urn:oid:2.16.840.1.113883.2.4.6.3', value: '123456782',
          type: { coding: [{ code: 'MR' }] } }] } })
      .on('GET', /fhir\/Observation\/bp1$/, { status: 200, body: { ...bp(['8462-4', 82], ['8480-6', 131]),
        performer: [{ display: 'Dr. P. Jansen' }], meta: { versionId: '1', lastUpdated: '2024-05-01T08:11:00Z',
          tag: [{ system: 'urn:meridian:tenant', code: 'nl-amstel' }] } } })
      .on('GET', /_history/, { status: 200, body: { resourceType: 'Bundle', entry: [] } });
    const outlet = document.createElement('div');
    document.body.replaceChildren(outlet);
    renderEntry(context(server), outlet, 'p1', 'Observation', 'bp1');
    await settle();
    const banner = outlet.querySelector('.patient-banner')!.textContent!;
    expect(banner).toContain('Visser, Anna');
    expect(banner).toContain('born 1961-04-02');
    expect(banner).toContain('Female');
    expect(banner).toContain('MRN 123456782');
    expect(outlet.querySelector('.entry-title')!.textContent).toBe('Blood pressure panel');
    const facts = outlet.querySelector('dl.facts')!.textContent!;
    expect(facts).toContain('131/82 mmHg');
    expect(facts).toContain('2024-05-01 09:10 (UTC+01:00)');
    expect(facts).toContain('Dr. P. Jansen');
    expect(facts).not.toContain('bp1');
    expect(facts).toContain('Held byAmstel Hospital (NL)');
    const raw = outlet.querySelector<HTMLDetailsElement>('details.raw')!;
    expect(raw.querySelector('summary')!.textContent).toBe('Show FHIR');
    expect(raw.open).toBe(false);
  });

  it('titles an entry by its code, never its id', () => {
    expect(entryTitle({ resourceType: 'Condition', id: '0f8e-uuid' })).toBe('Problem / diagnosis');
    expect(entryTitle({ resourceType: 'MedicationRequest', medicationCodeableConcept: { text: 'Metformin' } }))
      .toBe('Metformin');
  });

  it('describes the patient: sex, birth date and age, MRN', () => {
    expect(demographics({ gender: 'female', birthDate: '1961-04-02' }, '2026-04-01')).toBe('Female · born 1961-04-02 (64 y)');
    expect(demographics({ gender: 'female', birthDate: '1961-04-02' }, '2026-04-02')).toBe('Female · born 1961-04-02 (65 y)');
    expect(identifierText({ system: 'urn:x', value: '42', type: { coding: [{ code: 'MR' }] } })).toBe('MRN 42');
  });
});

describe('comma decimals', () => {
  it('reads 8,4 and 8.4 as 8.4 and refuses what it cannot read unambiguously', () => {
    expect(parseDecimal('8,4')).toEqual({ value: 8.4 });
    expect(parseDecimal('8.4')).toEqual({ value: 8.4 });
    expect(parseDecimal(' 84 ')).toEqual({ value: 84 });
    expect(parseDecimal('0,350')).toEqual({ value: 0.35 });
    expect(parseDecimal('')).toEqual({});
    expect(parseDecimal('1.234,5').error).toContain('one decimal separator');
    expect(parseDecimal('1,234').error).toBe('\u201c1,234\u201d is ambiguous: it could mean 1234 or 1.234. Type 1234 '
      + 'without a separator, or 1,2340 for the decimal value.');
    expect(parseDecimal('1,2340')).toEqual({ value: 1.234 });
    expect(parseDecimal('8 kg').error).toContain('Enter a number');
  });

  it('saves "8,4" kg as 8.4 kg, and refuses an ambiguous value at the field', async () => {
    const server = new FakeServer().on('POST', /fhir\/Observation/, call => ({ status: 201,
      body: { ...(call.body as object), id: 'w1' } }));
    const outlet = document.createElement('div');
    document.body.replaceChildren(outlet);
    let went = '';
    renderRecord(context(server, p => { went = p; }), outlet, 'p1', 'vitals');
    const weight = outlet.querySelector<HTMLInputElement>('input[name=weight]')!;
    weight.value = '1,234';
    outlet.querySelector<HTMLFormElement>('form')!.requestSubmit();
    await settle();
    const posts = () => server.calls.filter(c => c.method === 'POST'); // the banner's reads are GETs
    expect(posts()).toHaveLength(0);
    expect(weight.getAttribute('aria-invalid')).toBe('true');
    expect(outlet.querySelector('#weight-error')!.textContent).toContain('ambiguous');

    weight.value = '8,4';
    outlet.querySelector<HTMLFormElement>('form')!.requestSubmit();
    await settle();
    expect(posts()).toHaveLength(1);
    expect(posts()[0].body).toMatchObject({ valueQuantity: { value: 8.4, unit: 'kg' } });
    expect((posts()[0].body as { effectiveDateTime: string }).effectiveDateTime)
      .toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:00[+-]\d{2}:\d{2}$/);
    expect(went).toContain('recorded=Observation%2Fw1');
  });
});

describe('break the glass: whom, before why', () => {
  it('says plainly that no such patient is registered here, and offers no form', async () => {
    const server = new FakeServer().on('GET', /api\/break-glass\/preview/, { status: 404,
      body: { code: 'EHR-0658', message: 'EHR-0658 no such patient is registered at your institution' } });
    document.body.replaceChildren(breakGlassPanel(context(server), 'nope',
      new ApiError(404, ['EHR-0671 patient nope not found'], 'EHR-0671', true), () => {}));
    await settle();
    const text = document.querySelector('.break-glass')!.textContent!;
    expect(text).toContain('No such patient is registered at your institution');
    expect(text).toContain('(EHR-0658)');
    expect(text).not.toContain('patient nope not found');
    expect(document.querySelector('form.break-glass-form')).toBeNull();
  });

  it('explains server failures with their EHR code instead of raw text', () => {
    expect(explainError(new ApiError(500, ['EHR-0500 the server failed unexpectedly; the details are in the server '
      + 'log under incident 1b2c3d4e-aaaa'], 'EHR-0500', true)))
      .toBe('The server failed unexpectedly. Try again; if it persists, tell your administrator the incident '
        + 'reference 1b2c3d4e-aaaa. (EHR-0500)');
    expect(explainError(new ApiError(403, ['EHR-0320 only a clinician may break the glass'], 'EHR-0320', true)))
      .toBe('Only a clinician may break the glass. (EHR-0320)');
  });
});
