import { FakeServer, settle } from './fake-server';
import {
  formatShareCode, grantBody, grantStatus, isShareCodeComplete, scopeText, validateGrant,
  validateLogFilter, type Grant, type GrantDraft, type GranteeOption,
} from '../src/portal-model';
import { outsideRecordsSetting, renderGrants } from '../src/views/portal-grants';
import { renderAccessLog } from '../src/views/portal-log';
import { BreakGlassStore, type AppContext } from '../src/context';

const spree: GranteeOption = { kind: 'institution', id: 'de-spree', name: 'Spree Klinikum', institution: 'de-spree',
  institutionName: 'Spree Klinikum', country: 'DE', crossBorder: true };
const draft = (d: Partial<GrantDraft>): GrantDraft => ({ scope: 'exclude-sensitive', categories: [], purpose: 'TREAT',
  start: '', end: '', ...d });

function context(server: FakeServer): AppContext {
  return { api: server.api(), user: { username: 'patient.anna', name: 'Anna', tenant: 'nl-amstel', roles: ['patient'] },
    institutions: new Map([['de-spree', { id: 'de-spree', name: 'Spree Klinikum', country: 'DE' }]]),
    breakGlass: new BreakGlassStore(sessionStorage), navigate: () => {} };
}

describe('grant form logic', () => {
  it('needs a grantee, a category for the categories scope, and an end after the start', () => {
    expect(Object.keys(validateGrant(draft({})))).toEqual(['grantee']);
    expect(validateGrant(draft({ grantee: spree, scope: 'categories' })).categories).toContain('at least one');
    expect(validateGrant(draft({ grantee: spree, start: '2026-05-02', end: '2026-05-01' })).end)
      .toBe('The end date must be after the start date.');
    expect(validateGrant(draft({ grantee: spree, end: '31-12-2026' })).end).toContain('2026-12-31');
    expect(validateGrant(draft({ grantee: spree, start: '2026-05-01', end: '2026-05-02' }))).toEqual({});
  });

  it('sends one grantee, instants with an inclusive end day, and the confirmation only when given', () => {
    expect(grantBody(draft({ grantee: spree, start: '2026-05-01', end: '2026-05-31' }), false)).toEqual({
      practitioner: undefined, institution: 'de-spree', scope: 'exclude-sensitive', categories: undefined,
      purpose: 'TREAT', start: '2026-05-01T00:00:00Z', end: '2026-06-01T00:00:00Z', confirmCrossBorder: undefined });
    const doc = { ...spree, kind: 'practitioner' as const, id: 'prac-de-mueller' };
    expect(grantBody(draft({ grantee: doc, scope: 'categories', categories: ['PSY'] }), true)).toMatchObject({
      practitioner: 'prac-de-mueller', institution: undefined, categories: ['PSY'], confirmCrossBorder: true });
  });

  it('describes scopes and statuses in plain words', () => {
    expect(scopeText('categories', ['PSY', 'HIV'])).toBe('Everything except sensitive information, plus: Mental health, HIV');
    const g = { revoked: null, active: false, start: '2030-01-01T00:00:00Z' } as unknown as Grant;
    expect(grantStatus(g, new Date('2026-01-01'))).toBe('scheduled');
    expect(grantStatus({ ...g, start: '2020-01-01T00:00:00Z' }, new Date('2026-01-01'))).toBe('expired');
    expect(grantStatus({ ...g, revoked: '2026-01-01T00:00:00Z' })).toBe('revoked');
  });
});

describe('share codes and the access log filter', () => {
  it('formats what is typed into two groups and knows when it is complete', () => {
    expect(formatShareCode('7kq2mx9d4t')).toBe('7KQ2M-X9D4T');
    expect(formatShareCode('7kq2')).toBe('7KQ2');
    expect(isShareCodeComplete('7KQ2M-X9D4T')).toBe(true);
    expect(isShareCodeComplete('7KQ2M-X9D4')).toBe(false);
  });

  it('refuses malformed and reversed periods', () => {
    expect(validateLogFilter({ from: '2026-02-01', to: '2026-01-01', kind: '', who: '' })).toContain('before');
    expect(validateLogFilter({ from: 'yesterday', to: '', kind: '', who: '' })).toContain('2026-12-31');
    expect(validateLogFilter({ from: '2026-01-01', to: '2026-01-01', kind: 'read', who: 'x' })).toBeUndefined();
  });

});

describe('access grants screen', () => {
  it('asks for confirmation before a cross-border grant and sends it only once confirmed', async () => {
    const server = new FakeServer()
      .on('GET', /api\/grants$/, { status: 200, body: [] })
      .on('GET', /api\/grantees/, { status: 200, body: [spree] })
      .on('POST', /api\/grants$/, { status: 201, body: {} });
    const outlet = document.createElement('div');
    document.body.replaceChildren(outlet);
    renderGrants(context(server), outlet);
    await settle();
    const form = outlet.querySelector<HTMLFormElement>('form.grant-form')!;
    form.requestSubmit();
    await settle();
    expect(outlet.querySelector('[role=alert]')!.textContent).toContain('Choose who gets access');
    expect(server.calls.filter(c => c.method === 'POST')).toHaveLength(0);

    const search = outlet.querySelector<HTMLInputElement>('#grantee-search')!;
    search.value = 'spree';
    search.dispatchEvent(new Event('input'));
    await settle(300);
    outlet.querySelector<HTMLButtonElement>('[data-grantee="de-spree"]')!.click();
    form.requestSubmit();
    await settle();
    expect(server.calls.filter(c => c.method === 'POST')).toHaveLength(0);
    const dialog = outlet.querySelector('#cross-border-dialog')!;
    expect(dialog.textContent).toContain('across a border');
    dialog.querySelector<HTMLButtonElement>('#cb-confirm')!.click();
    await settle();
    expect(server.calls.find(c => c.method === 'POST')).toMatchObject({ url: 'api/grants',
      body: { institution: 'de-spree', confirmCrossBorder: true } });
  });
});

describe('a grant to someone Meridian does not know', () => {
  it('shows the server\'s refusal at the grantee field and in the form', async () => {
    const ghost: GranteeOption = { kind: 'practitioner', id: 'prac-gone', name: 'Dr. Gone (clinician)',
      institution: 'nl-amstel', institutionName: 'Amstel Hospital', country: 'NL', crossBorder: false };
    const server = new FakeServer()
      .on('GET', /api\/grants$/, { status: 200, body: [] })
      .on('GET', /api\/grantees/, { status: 200, body: [ghost] })
      .on('POST', /api\/grants$/, { status: 400, body: { code: 'EHR-0614', message: 'EHR-0614 prac-gone is not a '
        + 'care professional known to Meridian: choose the doctor or nurse from the search' } });
    const outlet = document.createElement('div');
    document.body.replaceChildren(outlet);
    renderGrants(context(server), outlet);
    await settle();
    const search = outlet.querySelector<HTMLInputElement>('#grantee-search')!;
    search.value = 'gone';
    search.dispatchEvent(new Event('input'));
    await settle(300);
    outlet.querySelector<HTMLButtonElement>('[data-grantee="prac-gone"]')!.click();
    outlet.querySelector<HTMLFormElement>('form.grant-form')!.requestSubmit();
    await settle();
    expect(server.calls.filter(c => c.method === 'POST')).toHaveLength(1);
    expect(outlet.querySelector('#grant-grantee-error')!.textContent)
      .toBe('prac-gone is not a care professional known to Meridian: choose the doctor or nurse from the search');
    const alert = outlet.querySelector('.grant-form [role=alert]')!;
    expect(alert.textContent).toContain('The server refused (400)');
    expect(alert.textContent).toContain('EHR-0614');
  });
});

describe('who accessed my record', () => {
  it('shows each access in plain words with the break-the-glass reason, and sends the filter', async () => {
    const server = new FakeServer().on('GET', /api\/me\/access-log/, { status: 200, body: [
      { seq: 9, when: '2026-11-30T10:00:00Z', who: 'dr.jansen', role: 'clinician', institution: 'nl-amstel',
        institutionName: 'Amstel Hospital', country: 'NL', countryName: 'Netherlands', kind: 'break-glass',
        what: 'Opened emergency access (break-the-glass) to your record', purpose: 'Emergency treatment (break-the-glass)',
        reason: 'Unconscious at the ED', refused: false }] });
    const outlet = document.createElement('div');
    renderAccessLog(context(server), outlet, new URLSearchParams('kind=break-glass&who=jansen'));
    await settle();
    expect(server.calls[0].url).toBe('api/me/access-log?kind=break-glass&who=jansen');
    const row = outlet.querySelector('#access-log tbody tr')!;
    expect(row.textContent).toContain('dr.jansen (clinician)');
    expect(row.textContent).toContain('Amstel Hospital, Netherlands');
    expect(row.textContent).toContain('reason given: “Unconscious at the ED”');
    expect(row.querySelector('.badge.allowed')?.textContent).toBe('Allowed');
  });

  it('shows a refused attempt as refused, with who and where', async () => {
    const server = new FakeServer().on('GET', /api\/me\/access-log/, { status: 200, body: [
      { seq: 12, when: '2026-11-30T11:00:00Z', who: 'dr.mueller', role: 'clinician', institution: 'de-spree',
        institutionName: 'Spree Klinikum', country: 'DE', countryName: 'Germany', kind: 'read',
        what: 'Tried: Viewed your observation (measurement or result) (refused)', purpose: '', reason: null,
        refused: true }] });
    const outlet = document.createElement('div');
    renderAccessLog(context(server), outlet, new URLSearchParams(''));
    await settle();
    const row = outlet.querySelector('#access-log tbody tr')!;
    expect(row.classList.contains('refused')).toBe(true);
    expect(row.textContent).toContain('dr.mueller (clinician)');
    expect(row.textContent).toContain('Spree Klinikum, Germany');
    expect(row.querySelector('.badge.refused')?.textContent).toBe('Refused — nothing shown');
  });
});

describe('who accessed my record: grouped and paged', () => {
  const read = (seq: number, when: string, what = 'Viewed your observation (measurement or result)') => ({ seq, when,
    who: 'dr.jansen', role: 'clinician', institution: 'nl-amstel', institutionName: 'Amstel Hospital', country: 'NL',
    countryName: 'Netherlands', kind: 'read', what, purpose: 'Treatment', reason: null, refused: false });

  it('groups per accessor, day and kind, counts what was done, and drops rows sent twice', async () => {
    const { groupAccesses } = await import('../src/portal-model');
    const rows = [read(5, '2026-11-30T10:42:00Z'), read(4, '2026-11-30T10:41:00Z'), read(4, '2026-11-30T10:41:00Z'),
      read(3, '2026-11-30T10:10:00Z', 'Viewed your timeline'), read(2, '2026-11-29T09:00:00Z'),
      { ...read(1, '2026-11-30T10:00:00Z'), refused: true, what: 'Tried: Viewed your observation (refused)' }];
    const groups = groupAccesses(rows);
    expect(groups.map(g => [g.day, g.count, g.refused])).toEqual([
      ['2026-11-30', 3, false], ['2026-11-30', 1, true], ['2026-11-29', 1, false]]);
    expect(groups[0].whats).toEqual([{ what: 'Viewed your observation (measurement or result)', count: 2 },
      { what: 'Viewed your timeline', count: 1 }]);
    expect(groups[0].seqs).toEqual([5, 4, 3]);
    expect([groups[0].first, groups[0].last]).toEqual(['2026-11-30T10:10:00Z', '2026-11-30T10:42:00Z']);
  });

  it('names the app an access was made through, apart from the same person without it (ADR 0031)', async () => {
    const server = new FakeServer().on('GET', /api\/me\/access-log\?|api\/me\/access-log$/, { status: 200,
      body: [{ ...read(2, '2026-11-30T10:42:00Z'), app: 'Growth Charts' }, read(1, '2026-11-30T10:41:00Z')] })
      .on('GET', /proofs/, { status: 200, body: [] });
    const outlet = document.createElement('div');
    renderAccessLog(context(server), outlet, new URLSearchParams(''));
    await settle();
    const rows = [...outlet.querySelectorAll('#access-log tbody tr')].map(r => r.textContent ?? '');
    expect(rows).toHaveLength(2);
    expect(rows.filter(t => t.includes('dr.jansen (clinician) through the app “Growth Charts”'))).toHaveLength(1);
    expect(rows.filter(t => !t.includes('through the app'))).toHaveLength(1);
  });

  it('shows 3,900 reads as one line with its count, and pages the groups', async () => {
    const many = Array.from({ length: 3900 }, (_, i) => read(10_000 + i, '2026-11-30T10:00:00Z'));
    const days = Array.from({ length: 30 }, (_, i) => read(i + 1, `2026-10-${String(i + 1).padStart(2, '0')}T08:00:00Z`));
    const server = new FakeServer().on('GET', /api\/me\/access-log\?|api\/me\/access-log$/, { status: 200,
      body: [...many, ...days] }).on('GET', /proofs/, { status: 200, body: [] });
    const outlet = document.createElement('div');
    renderAccessLog(context(server), outlet, new URLSearchParams(''));
    await settle();
    const rows = outlet.querySelectorAll('#access-log tbody tr');
    expect(rows).toHaveLength(25);
    expect(rows[0].getAttribute('data-count')).toBe('3900');
    expect(rows[0].textContent).toContain('Viewed your observation (measurement or result) × 3,900');
    expect(outlet.querySelector('#access-log-summary')!.textContent)
      .toBe('3,930 accesses in 31 groups (per person, day and kind); showing 1–25 of 31.');
    [...outlet.querySelectorAll<HTMLButtonElement>('.pager button')].find(b => b.textContent === 'Older →')!.click();
    expect(outlet.querySelectorAll('#access-log tbody tr')).toHaveLength(6);
    expect(outlet.querySelector('.pager span')!.textContent).toBe('Page 2 of 2');
    const proofCalls = server.urls(/proofs/);
    expect(proofCalls.every(u => (u.match(/seq=/g) ?? []).length <= 100)).toBe(true);
  });
});

describe('grants as the patient reads them', () => {
  const grant = { id: 'g1', practitioner: 'prac-de-mueller', institution: null, scope: 'exclude-sensitive',
    categories: [], purpose: 'TREAT', start: '2026-12-06T00:00:00Z', end: '2027-01-01T00:00:00Z', revoked: null,
    active: true, granteeName: 'Klaus Müller (clinician)', granteeCountry: 'DE', crossBorder: true,
    granteeInstitutionName: 'Spree Klinikum' };

  it('shows the chosen last day (not the exclusive end), revoked as revoked, and the grantee by name and institution',
    async () => {
      const { lastDay, periodText, granteeText } = await import('../src/portal-model');
      expect(lastDay('2027-01-01T00:00:00Z')).toBe('2026-12-31');
      expect(periodText(grant)).toBe('2026-12-06 – 2026-12-31');
      expect(periodText({ ...grant, end: null, revoked: '2026-12-07T10:00:00Z' })).toBe('2026-12-06 – revoked 2026-12-07');
      expect(periodText({ ...grant, end: null })).toBe('2026-12-06 – until revoked');
      expect(granteeText(grant)).toBe('Klaus Müller (clinician), Spree Klinikum');
    });

  it('lists a grant to a doctor in the patient’s own country without the cross-border flag', async () => {
    const server = new FakeServer().on('GET', /api\/grants$/, { status: 200, body: [
      { ...grant, id: 'g-nl', practitioner: 'prac-nl-jansen', granteeName: 'Pieter Jansen (clinician)',
        granteeCountry: 'NL', crossBorder: false, granteeInstitutionName: 'Amstel Hospital' },
      { ...grant, id: 'g-old', revoked: '2026-12-07T10:00:00Z', end: null, active: false }] });
    const outlet = document.createElement('div');
    renderGrants(context(server), outlet);
    await settle();
    const nl = outlet.querySelector('tr[data-grant=g-nl]')!;
    expect(nl.textContent).toContain('Pieter Jansen (clinician), Amstel Hospital (Netherlands)');
    expect(nl.querySelector('.cross-border')).toBeNull();
    expect(nl.querySelector('td.period')!.textContent).toBe('2026-12-06 – 2026-12-31');
    const old = outlet.querySelector('tr[data-grant=g-old]')!;
    expect(old.querySelector('td.period')!.textContent).toBe('2026-12-06 – revoked 2026-12-07');
    expect(old.querySelector('.badge.revoked')!.textContent).toBe('revoked');
  });
});

describe('country names', () => {
  it('names countries in words', async () => {
    const { countryName } = await import('../src/portal-model');
    expect(countryName('DE')).toBe('Germany');
    expect(countryName(null)).toBe('an unknown country');
  });
});

describe('my patient summary (issue #20: the IPS readable and printable by the patient)', () => {
  it('shows the own IPS with values and doses, every institution, a Print button, the name in the title', async () => {
    const doc = { resourceType: 'Bundle', type: 'document', entry: [
      { fullUrl: 'urn:uuid:c', resource: { resourceType: 'Composition', section: [
        { title: 'Medication Summary', code: { coding: [{ code: '10160-0' }] }, entry: [{ reference: 'urn:uuid:m' }] }] } },
      { fullUrl: 'urn:uuid:p', resource: { resourceType: 'Patient', id: 'p1', name: [{ family: 'Visser', given: ['Anna'] }],
        gender: 'female', birthDate: '1961-04-02', meta: { tag: [{ system: 'urn:meridian:tenant', code: 'nl-amstel' }] } } },
      { fullUrl: 'urn:uuid:m', resource: { resourceType: 'MedicationRequest', status: 'active',
        medicationCodeableConcept: { text: 'Metformin' }, dosageInstruction: [{ text: '500 mg twice daily' }],
        meta: { tag: [{ system: 'urn:meridian:tenant', code: 'de-spree' }] } } }] };
    const server = new FakeServer()
      .on('GET', /api\/me$/, { status: 200, body: { records: [{ id: 'p1', institution: 'nl-amstel', name: 'Anna Visser' }] } })
      .on('GET', /fhir\/Patient\/p1\/\$summary$/, { status: 200, body: doc });
    const outlet = document.createElement('div');
    document.body.replaceChildren(outlet);
    const { renderMySummary } = await import('../src/views/portal-record');
    renderMySummary(context(server), outlet);
    await settle();
    const ips = outlet.querySelector('.ips')!;
    expect(ips.querySelector('h2')!.textContent).toBe('Patient summary: Visser, Anna');
    expect(ips.textContent).toContain('Metformin — 500 mg twice daily');
    expect(ips.querySelector('.held-by')!.textContent).toContain('Spree Klinikum (DE)');
    expect(ips.textContent).not.toContain('MedicationRequest');
    expect(ips.querySelector('button.print')!.textContent).toBe('Print this summary');
    expect(document.title).toBe('My patient summary: Visser, Anna · Meridian EHR');
  });
});

describe('the outside-records hint setting (ADR 0033)', () => {
  it('shows the stored choice, off by default, and switches it through the server', async () => {
    const server = new FakeServer()
      .on('GET', /api\/me\/outside-records-hint$/, { status: 200, body: { enabled: false } })
      .on('PUT', /api\/me\/outside-records-hint$/, { status: 200, body: { enabled: true } });
    const ctx = { api: server.api() } as unknown as Parameters<typeof outsideRecordsSetting>[0];
    document.body.replaceChildren(outsideRecordsSetting(ctx));
    await settle();
    const box = document.querySelector<HTMLInputElement>('#outside-records-hint')!;
    expect(document.querySelector('label[for=outside-records-hint]')!.textContent)
      .toBe('Let clinicians who treat me know that other institutions hold records about me');
    expect(document.querySelector('#outside-records-note')!.textContent).toContain('do not see those records');
    expect(box.checked).toBe(false);
    expect(box.disabled).toBe(false);
    box.click();
    await settle();
    const put = server.calls.find(c => c.method === 'PUT')!;
    expect(put.body).toEqual({ enabled: true });
    expect(box.checked).toBe(true);
    expect(document.querySelector('[role=status]')!.textContent).toContain('will see that records exist elsewhere');
  });
});
