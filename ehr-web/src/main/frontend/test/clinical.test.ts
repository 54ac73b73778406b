import { FakeServer, settle } from './fake-server';
import { activeProblems } from '../src/views/summary';
import { validateVitals, vitalsObservations } from '../src/record-builders';
import { trendData, TRENDS, lastVitals } from '../src/trends';
import { renderPatients } from '../src/views/patients';
import { breakGlassPanel } from '../src/views/breakglass';
import { BreakGlassStore, type AppContext } from '../src/context';
import { ApiError } from '../src/api';
import type { Observation } from '../src/fhir';

const condition = (id: string, status: string) => ({ resource: { resourceType: 'Condition', id,
  clinicalStatus: { coding: [{ code: status }] }, code: { text: id } } });

function context(server: FakeServer, tenant = 'nl-amstel'): AppContext {
  return { api: server.api(), user: { username: 'dr.jansen', name: 'Pieter Jansen', tenant, roles: ['clinician'] },
    institutions: new Map([['de-spree', { id: 'de-spree', name: 'Spree Klinikum', country: 'DE' }],
      ['nl-amstel', { id: 'nl-amstel', name: 'Amstel Hospital', country: 'NL' }]]),
    breakGlass: new BreakGlassStore(sessionStorage, () => Date.parse('2025-01-01T10:00:00Z')), navigate: () => {} };
}

describe('summary: active problems', () => {
  it('falls back to filtering on the client when the server rejects clinical-status with 400', async () => {
    const server = new FakeServer()
      .on('GET', /Condition\?.*clinical-status/, { status: 400, body: { resourceType: 'OperationOutcome',
        issue: [{ severity: 'error', code: 'processing', diagnostics: 'Invalid request: unknown parameter' }] } })
      .on('GET', /Condition\?patient=p1&_count=200$/, { status: 200, body: { resourceType: 'Bundle',
        entry: [condition('diabetes', 'active'), condition('fracture', 'resolved'), condition('asthma', 'relapse')] } });
    const problems = await activeProblems(server.api(), 'p1');
    expect(problems.map(p => p.id)).toEqual(['diabetes', 'asthma']);
    expect(server.calls).toHaveLength(2);
  });

  it('does not hide other failures behind the fallback', async () => {
    const server = new FakeServer().on('GET', /Condition/, { status: 403, body: { code: 'EHR-0403', message: 'no' } });
    await expect(activeProblems(server.api(), 'p1')).rejects.toBeInstanceOf(ApiError);
    expect(server.calls).toHaveLength(1);
  });
});

describe('recording vitals', () => {
  it('rejects implausible and half-entered values with readable messages', () => {
    expect(validateVitals({ systolic: 120, effective: 'x' })).toContain('Blood pressure needs both systolic and diastolic.');
    expect(validateVitals({ systolic: 80, diastolic: 90, effective: 'x' })).toContain('Diastolic must be lower than systolic.');
    expect(validateVitals({ weight: 900, effective: 'x' })).toEqual(['Weight must be between 0.3 and 500.']);
    expect(validateVitals({ effective: 'x' })).toEqual(['Enter at least one measurement.']);
  });

  it('builds a LOINC blood-pressure panel with systolic/diastolic components and a weight, for the patient', () => {
    const [bp, weight] = vitalsObservations('p1', { systolic: 128, diastolic: 82, weight: 71.5,
      effective: '2025-01-01T09:00:00.000Z' });
    expect(bp.code).toMatchObject({ coding: [{ system: 'http://loinc.org', code: '85354-9' }] });
    expect((bp.component as { code: { coding: { code: string }[] }; valueQuantity: { value: number } }[])
      .map(c => [c.code.coding[0].code, c.valueQuantity.value])).toEqual([['8480-6', 128], ['8462-4', 82]]);
    expect(bp.subject).toEqual({ reference: 'Patient/p1' });
    expect(weight).toMatchObject({ status: 'final', effectiveDateTime: '2025-01-01T09:00:00.000Z',
      valueQuantity: { value: 71.5, code: 'kg' } });
  });
});

describe('trends', () => {
  const obs = (id: string, when: string, code: string, value: number, range?: [number, number]): Observation => ({
    resourceType: 'Observation', id, status: 'final', effectiveDateTime: when,
    code: { coding: [{ system: 'http://loinc.org', code }] }, valueQuantity: { value, unit: '%' },
    ...(range ? { referenceRange: [{ low: { value: range[0] }, high: { value: range[1] } }] } : {}) });

  it('orders results in time and prefers the lab\u2019s own reference range over the default', () => {
    const data = trendData(TRENDS[0], [obs('b', '2024-05-01', '4548-4', 7.2, [4.2, 6.0]),
      obs('a', '2023-01-01', '4548-4', 8.1), obs('x', '2024-06-01', '2345-7', 99)]);
    expect(data.values[0]).toEqual([8.1, 7.2]);
    expect(data.times[0]).toBeLessThan(data.times[1]);
    expect(data.ranges).toEqual([[4.2, 6.0]]);
    expect(data.rangeSource).toBe('result');
    expect(trendData(TRENDS[0], [obs('a', '2023-01-01', '4548-4', 8.1)]).rangeSource).toBe('default');
  });

  it('keeps the newest vital of each kind', () => {
    const newest = lastVitals([obs('old', '2023-01-01', '29463-7', 80), obs('new', '2024-01-01', '29463-7', 78),
      obs('hr', '2023-06-01', '8867-4', 70)]);
    expect(newest.map(o => o.id)).toEqual(['new', 'hr']);
  });
});

describe('My patients', () => {
  it('searches by identifier and marks patients held by another institution as shared', async () => {
    const server = new FakeServer().on('GET', /fhir\/Patient\?/, { status: 200, body: { resourceType: 'Bundle',
      entry: [
        { resource: { resourceType: 'Patient', id: 'p1', name: [{ family: 'Visser', given: ['Anna'] }],
          meta: { tag: [{ system: 'urn:meridian:tenant', code: 'nl-amstel' }] } } },
        { resource: { resourceType: 'Patient', id: 'p2', name: [{ family: 'Schulz', given: ['Jonas'] }],
          meta: { tag: [{ system: 'urn:meridian:tenant', code: 'de-spree' }] } } }] } });
    const outlet = document.createElement('div');
    document.body.replaceChildren(outlet);
    renderPatients(context(server), outlet, { name: 'vis' });
    await settle();
    expect(server.calls[0].url).toBe('fhir/Patient?name=vis&_sort=family%2Cgiven&_count=50');
    const rows = [...outlet.querySelectorAll('tbody tr')];
    expect(rows.map(r => r.querySelector('a')!.textContent)).toEqual(['Visser, Anna', 'Schulz, Jonas']);
    expect(rows[0].querySelector('.badge.shared')).toBeNull();
    expect(rows[1].querySelector('.badge.shared')!.textContent).toBe('Shared · Spree Klinikum (DE)');

    outlet.querySelector<HTMLInputElement>('input[name=identifier]')!.value = 'urn:oid:2.16.840.1.113883.2.4.6.3|123';
    outlet.querySelector<HTMLInputElement>('input[name=name]')!.value = '';
    outlet.querySelector<HTMLFormElement>('form')!.requestSubmit();
    await settle();
    expect(server.urls(/fhir\/Patient/).at(-1))
      .toBe('fhir/Patient?identifier=urn%3Aoid%3A2.16.840.1.113883.2.4.6.3%7C123&_sort=family%2Cgiven&_count=50');
  });
});

describe('My patients: count, paging, columns', () => {
  const patient = (i: number) => ({ resource: { resourceType: 'Patient', id: `p${i}`,
    name: [{ family: `Family${String(i).padStart(2, '0')}`, given: ['A'] }], birthDate: '1961-04-02',
    identifier: [{ system: 'urn:x', value: `X${i}` }, { type: { coding: [{ code: 'MR' }] }, value: `MRN${i}` }] } });
  it('says the true total, pages to all patients and shows age, MRN and the last visit', async () => {
    const server = new FakeServer()
      .on('GET', /fhir\/Patient\?/, { status: 200, body: { resourceType: 'Bundle', total: 64,
        link: [{ relation: 'next', url: 'http://127.0.0.1:8080/app/fhir?_getpages=abc&_pageId=2' }],
        entry: Array.from({ length: 50 }, (_, i) => patient(i)) } })
      .on('GET', /fhir\?_getpages=abc/, { status: 200, body: { resourceType: 'Bundle', total: 64,
        entry: Array.from({ length: 14 }, (_, i) => patient(50 + i)) } })
      .on('GET', /fhir\/Encounter\?/, { status: 200, body: { resourceType: 'Bundle', entry: [{ resource: {
        resourceType: 'Encounter', id: 'e', period: { start: '2025-11-03T09:00:00+01:00' } } }] } });
    const outlet = document.createElement('div');
    document.body.replaceChildren(outlet);
    renderPatients(context(server), outlet, {});
    await settle(5);
    expect(outlet.querySelector('[role=status]')!.textContent).toBe('Showing 50 of 64 patients');
    const first = outlet.querySelector('tbody tr')!;
    expect(first.querySelector('.mrn')!.textContent).toBe('MRN0');
    expect(first.querySelector('.age')!.textContent).toMatch(/^\d+ y$/);
    expect(first.querySelector('.last-visit')!.textContent).toBe('2025-11-03');
    outlet.querySelector<HTMLButtonElement>('button.more')!.click();
    await settle(5);
    expect(server.urls(/_getpages/)).toEqual(['fhir?_getpages=abc&_pageId=2']);
    expect(outlet.querySelectorAll('tbody tr')).toHaveLength(64);
    expect(outlet.querySelector('[role=status]')!.textContent).toBe('64 patients');
    expect(outlet.querySelector<HTMLButtonElement>('button.more')!.hidden).toBe(true);
  });
});

describe('break the glass', () => {
  it('shows whom it would open, insists on a reason before asking the server, then records the session', async () => {
    const server = new FakeServer().on('POST', /api\/break-glass$/, { status: 201,
      body: { expires: '2025-01-01T11:00:00Z' } })
      .on('GET', /api\/break-glass\/preview\?patient=p9$/, { status: 200, body: { id: 'p9', name: 'Anna Visser',
        birthDate: '1961-04-02', gender: 'female', institution: 'nl-amstel' } });
    const ctx = context(server);
    let granted = 0;
    document.body.replaceChildren(breakGlassPanel(ctx, 'p9', new ApiError(403, ['EHR-0314 not in care team'],
      'EHR-0314', true), () => { granted += 1; }));
    expect(document.querySelector('form.break-glass-form')).toBeNull(); // no reason before we know whom
    await settle();
    const whom = document.querySelector('[data-bg=whom]')!.textContent!;
    expect(whom).toContain('Anna Visser');
    expect(whom).toContain('born 1961-04-02');
    expect(whom).toContain('Amstel Hospital');
    expect(document.querySelector('.break-glass')!.textContent).not.toContain('not in care team'); // no raw text
    const form = document.querySelector<HTMLFormElement>('form.break-glass-form')!;
    form.requestSubmit();
    await settle();
    expect(server.calls.filter(c => c.method === 'POST')).toHaveLength(0);
    expect(document.querySelector('[role=alert]')!.textContent).toContain('A reason is required');

    document.querySelector<HTMLTextAreaElement>('#bg-reason')!.value = 'Unconscious patient in the ED';
    form.requestSubmit();
    await settle();
    expect(server.calls.find(c => c.method === 'POST')).toMatchObject({ method: 'POST', url: 'api/break-glass',
      body: { patient: 'Patient/p9', reason: 'Unconscious patient in the ED' } });
    expect(granted).toBe(1);
    expect(ctx.breakGlass.active('p9')).toEqual({ expiresAt: '2025-01-01T11:00:00Z',
      reason: 'Unconscious patient in the ED' });
  });
});
