import { FakeServer, settle } from './fake-server';
import {
  actorLabel, auditQuery, describeVerification, patientLabel, UNNAMED_PATIENT, fieldOfCode, memberBody, reviewOrder, sessionState, validateAuditFilters, validateMember,
  validatePatient, validateTeam, validateTenant, type BreakGlassSession, type CareTeam, type MemberDraft,
} from '../src/admin-model';
import { renderCareTeams } from '../src/views/admin-careteams';
import { renderAuditSearch } from '../src/views/admin-audit';
import { renderBreakGlassReview } from '../src/views/admin-breakglass';
import { BreakGlassStore, type AppContext } from '../src/context';

const member = (d: Partial<MemberDraft>): MemberDraft => ({ practitioner: 'prac-nl-jansen', institution: 'nl-amstel',
  role: 'clinician', start: '', end: '', ...d });

function context(server: FakeServer, roles = ['tenant-admin']): AppContext {
  return { api: server.api(), user: { username: 'admin.amstel', name: 'Admin', tenant: 'nl-amstel', roles },
    institutions: new Map([['nl-amstel', { id: 'nl-amstel', name: 'Amstel Hospital', country: 'NL' }],
      ['de-spree', { id: 'de-spree', name: 'Spree Klinikum', country: 'DE' }]]),
    breakGlass: new BreakGlassStore(sessionStorage), navigate: () => {} };
}

const ward: CareTeam = { id: 'ward-1', name: 'Ward 1', members: [{ practitioner: 'prac-nl-jansen',
  institution: 'nl-amstel', role: 'clinician', start: '2026-01-01T00:00:00Z' }],
patients: [{ person: 'person-x', patient: 'Patient/p1' }] };

describe('admin console model', () => {
  it('validates a team, a member and a patient at their fields', () => {
    expect(validateTeam({ id: '', name: '' })).toEqual({ id: 'Enter a team id.', name: 'Enter the team’s name.' });
    expect(Object.keys(validateTeam({ id: 'ward 7', name: 'Ward' }))).toEqual(['id']);
    expect(validateTeam({ id: 'ward-7', name: 'Ward 7' })).toEqual({});
    expect(Object.keys(validateMember(member({ practitioner: 'dr jansen', role: 'surgeon', institution: '' }))))
      .toEqual(['practitioner', 'institution', 'role']);
    expect(validateMember(member({ start: '2026-05-02', end: '2026-05-01' })).end).toMatch(/before the first/);
    expect(validateMember(member({ start: '2026-05-01', end: '2026-05-01' }))).toEqual({});
    expect(validatePatient('Patient/')).toHaveProperty('patient');
    expect(validatePatient(' Patient/abc-1 ')).toEqual({});
  });

  it('sends member periods as instants with an inclusive last day', () => {
    expect(memberBody(member({ start: '2026-05-01', end: '2026-05-31' }))).toEqual({ practitioner: 'prac-nl-jansen',
      institution: 'nl-amstel', role: 'clinician', start: '2026-05-01T00:00:00Z', end: '2026-06-01T00:00:00Z' });
    expect(memberBody(member({}))).not.toHaveProperty('start');
  });

  it('validates an institution and maps server codes to fields', () => {
    expect(Object.keys(validateTenant({ id: 'X', name: '', country: 'Belgium', region: '' })))
      .toEqual(['id', 'name', 'country', 'region']);
    expect(validateTenant({ id: 'be-schelde', name: 'Schelde', country: 'be', region: 'eu-west' })).toEqual({});
    expect(fieldOfCode('EHR-0622', ['practitioner', 'role'])).toBe('role');
    expect(fieldOfCode('EHR-0622', ['patient'])).toBeUndefined();
    expect(fieldOfCode(undefined, ['role'])).toBeUndefined();
  });

  it('builds the audit query, leaving out empty filters, and refuses a reversed period', () => {
    const f = { user: ' dr.jansen ', patient: 'Patient/p1', action: 'R', outcome: '', from: '2026-11-01', to: '' };
    expect(auditQuery(f)).toBe('user=dr.jansen&patient=p1&action=R&from=2026-11-01&count=50');
    expect(auditQuery(f, 120, 10)).toBe('user=dr.jansen&patient=p1&action=R&from=2026-11-01&before=120&count=10');
    expect(validateAuditFilters({ ...f, to: '2026-10-31' })).toHaveProperty('to');
    expect(validateAuditFilters({ ...f, to: '2026-11-01' })).toEqual({});
  });

  it('orders break-the-glass sessions awaiting review first and tells running from expired', () => {
    const s = (id: string, started: string, reviewed?: string): BreakGlassSession => ({ id, practitioner: 'p',
      patient: 'Patient/x', reason: 'Unconscious in the ER', started, expires: started.replace('T10', 'T11'), reviewed });
    const sorted = reviewOrder([s('a', '2026-01-01T10:00:00Z', '2026-01-02T00:00:00Z'), s('b', '2026-01-01T10:00:00Z'),
      s('c', '2026-01-03T10:00:00Z')]);
    expect(sorted.map(x => x.id)).toEqual(['c', 'b', 'a']);
    expect(sessionState(s('d', '2026-01-01T10:00:00Z'), Date.parse('2026-01-01T10:30:00Z'))).toBe('active');
    expect(sessionState(s('d', '2026-01-01T10:00:00Z'), Date.parse('2026-01-01T11:30:00Z'))).toBe('expired');
  });
});

describe('care teams screen', () => {
  it('lists teams, removes a member only after confirming, and reloads', async () => {
    let teams = [ward];
    const server = new FakeServer()
      .on('GET', /api\/care-teams\/overview$/, () => ({ status: 200, body: teams }))
      .on('DELETE', /api\/care-teams\/ward-1\/members\/prac-nl-jansen$/, () => {
        teams = [{ ...ward, members: [] }];
        return { status: 200 };
      });
    const outlet = document.createElement('div');
    renderCareTeams(context(server), outlet);
    await settle();
    expect(outlet.querySelector('[data-team="ward-1"] [data-member="prac-nl-jansen"]')).not.toBeNull();
    expect(outlet.querySelector('[data-patient="p1"]')?.textContent).toContain('Patient/p1');
    const remove = outlet.querySelector<HTMLButtonElement>('[data-member="prac-nl-jansen"] button')!;
    expect(remove.getAttribute('aria-label')).toBe('Remove prac-nl-jansen from Ward 1');
    remove.click();
    expect(server.calls.filter(c => c.method === 'DELETE')).toHaveLength(0);
    remove.click();
    await settle();
    expect(server.calls.filter(c => c.method === 'DELETE')).toHaveLength(1);
    expect(outlet.querySelector('[data-member]')).toBeNull();
    expect(outlet.querySelector('.flash')?.textContent).toBe('prac-nl-jansen removed from Ward 1.');
  });

  it('checks a new member in the browser and shows a server refusal at its field', async () => {
    const server = new FakeServer()
      .on('GET', /api\/care-teams\/overview$/, { status: 200, body: [ward] })
      .on('POST', /api\/care-teams\/ward-1\/patients$/, { status: 404,
        body: { code: 'EHR-0654', message: 'EHR-0654 no patient nope at nl-amstel' } });
    const outlet = document.createElement('div');
    renderCareTeams(context(server), outlet);
    await settle();
    const memberForm = outlet.querySelector<HTMLFormElement>('form.add-member')!;
    memberForm.querySelector<HTMLInputElement>('[data-field="practitioner"] input')!.value = 'dr jansen';
    memberForm.requestSubmit();
    const practitioner = memberForm.querySelector('[data-field="practitioner"] input')!;
    expect(practitioner.getAttribute('aria-invalid')).toBe('true');
    expect(memberForm.querySelector('[data-field="practitioner"] .field-error')?.textContent).toMatch(/letters/);
    expect(server.calls.filter(c => c.method === 'POST')).toHaveLength(0);

    const patientForm = outlet.querySelector<HTMLFormElement>('form.add-patient')!;
    patientForm.querySelector<HTMLInputElement>('input')!.value = 'nope';
    patientForm.requestSubmit();
    await settle();
    expect(server.calls.find(c => c.method === 'POST')?.body).toEqual({ patient: 'Patient/nope' });
    expect(patientForm.querySelector('[data-field="patient"] .field-error')?.textContent).toContain('EHR-0654');
  });
});

describe('break-the-glass review and audit screens', () => {
  it('names a team\u2019s patient when the server named them, else shows the reference as not named', async () => {
    const named: CareTeam = { ...ward, patients: [{ person: 'person-x', patient: 'Patient/p1', name: 'Anna de Vries' },
      { person: 'person-y', patient: 'Patient/p2' }] };
    const server = new FakeServer().on('GET', /api\/care-teams\/overview$/, { status: 200, body: [named] });
    const outlet = document.createElement('div');
    renderCareTeams(context(server), outlet);
    await settle();
    expect(outlet.querySelector('[data-patient="p1"] td.patient')?.textContent).toBe('Anna de Vries Patient/p1');
    expect(outlet.querySelector('[data-patient="p2"] td.patient')?.textContent).toBe(`${UNNAMED_PATIENT} Patient/p2`);
    expect(outlet.querySelector('[data-patient="p1"] button')?.getAttribute('aria-label'))
      .toBe('Remove Anna de Vries from Ward 1');
  });

  it('shows what was read during a session and marks it reviewed', async () => {
    let reviewed: string | undefined;
    const session = (): BreakGlassSession => ({ id: 'bg1', practitioner: 'prac-nl-jansen', patient: 'Patient/p1',
      reason: 'Unconscious in the ER', started: '2026-01-01T10:00:00Z', expires: '2026-01-01T11:00:00Z',
      reviewed, reviewedBy: reviewed ? 'admin.amstel' : undefined, patientName: 'Anna de Vries',
      reviewedByName: reviewed ? 'Eva de Boer' : undefined });
    const server = new FakeServer()
      .on('GET', /api\/break-glass$/, () => ({ status: 200, body: [session()] }))
      .on('GET', /api\/break-glass\/bg1\/reads$/, { status: 200, body: [{ seq: 9, recorded: '2026-01-01T10:05:00Z',
        action: 'R', interaction: 'read', resource: 'Observation/o1', outcome: '0', purpose: 'ETREAT' }] })
      .on('POST', /api\/break-glass\/bg1\/review$/, () => {
        reviewed = '2026-01-02T08:00:00Z';
        return { status: 200, body: session() };
      });
    const outlet = document.createElement('div');
    renderBreakGlassReview(context(server), outlet);
    await settle();
    expect(outlet.textContent).toContain('1 session, 1 awaiting review.');
    expect(outlet.querySelector('[data-session="bg1"] td.patient')?.textContent).toBe('Anna de Vries Patient/p1');
    const show = outlet.querySelector<HTMLButtonElement>('[data-session="bg1"] button[aria-controls]')!;
    show.click();
    await settle();
    expect(show.getAttribute('aria-expanded')).toBe('true');
    expect(outlet.querySelector('tr.reads')?.textContent).toContain('Observation/o1');
    outlet.querySelector<HTMLButtonElement>('[data-session="bg1"] button.primary')!.click();
    await settle();
    expect(outlet.querySelector('[data-session="bg1"]')?.textContent).toContain('Reviewed by Eva de Boer');
    expect(outlet.querySelector('[data-session="bg1"]')?.textContent).not.toContain('admin.amstel');
  });

  it('names people on audit rows: the actor by name, the patient only when the server named them', async () => {
    expect(actorLabel({ user: 'dr.jansen', roles: 'clinician', userName: 'Pieter Jansen' }))
      .toEqual({ name: 'Pieter Jansen', id: 'dr.jansen (clinician)' });
    expect(actorLabel({ user: 'dr.jansen', roles: 'clinician' })).toEqual({ name: 'dr.jansen (clinician)' });
    expect(patientLabel('Anna de Vries', 'Patient/p1')).toEqual({ name: 'Anna de Vries', id: 'Patient/p1' });
    expect(patientLabel(null, 'Patient/p9')).toEqual({ name: UNNAMED_PATIENT, id: 'Patient/p9' });
    expect(patientLabel('Anna', undefined)).toBeUndefined();
    const server = new FakeServer().on('GET', /api\/audit-events\?/, { status: 200, body: { entries: [
      { seq: 3, recorded: '2026-11-30T10:00:00Z', user: 'dr.jansen', roles: 'clinician', userName: 'Pieter Jansen',
        action: 'R', interaction: 'read', resource: 'Patient/p1', patient: 'Patient/p1', patientName: 'Anna de Vries',
        outcome: '0' },
      { seq: 2, recorded: '2026-11-30T09:00:00Z', user: 'dr.weber', action: 'R', interaction: 'read',
        patient: 'Patient/p9', outcome: '0' }] } });
    const outlet = document.createElement('div');
    renderAuditSearch(context(server), outlet);
    outlet.querySelector<HTMLFormElement>('form')!.requestSubmit();
    await settle();
    const named = outlet.querySelector('[data-seq="3"]')!;
    expect(named.querySelector('td.who')?.textContent).toBe('Pieter Jansen dr.jansen (clinician)');
    expect(named.querySelector('td.patient')?.textContent).toBe('Anna de Vries Patient/p1');
    expect(outlet.querySelector('[data-seq="2"] td.patient')?.textContent).toBe(`${UNNAMED_PATIENT} Patient/p9`);
    expect(named.querySelector('td.action')?.textContent).toBe('Read'); // a word, not the BALP code "R"
    expect(named.querySelector('td.action')?.getAttribute('title')).toBe('Read / search');
  });

  it('searches the audit trail and pages to older entries', async () => {
    const entry = (seq: number) => ({ seq, recorded: '2026-11-30T10:00:00Z', user: 'dr.jansen', action: 'R',
      interaction: 'read', resource: `Observation/o${seq}`, outcome: seq === 9 ? '4' : '0' });
    const server = new FakeServer()
      .on('GET', /api\/audit-events\?/, call => ({ status: 200, body: call.url.includes('before=9')
        ? { entries: [entry(8)] } : { entries: [entry(10), entry(9)], next: 9 } }));
    const outlet = document.createElement('div');
    renderAuditSearch(context(server), outlet);
    outlet.querySelector<HTMLInputElement>('[data-field="user"] input')!.value = 'dr.jansen';
    outlet.querySelector<HTMLFormElement>('form')!.requestSubmit();
    await settle();
    expect(server.calls[0].url).toBe('api/audit-events?user=dr.jansen&count=50');
    expect(outlet.querySelectorAll('#audit-results tbody tr')).toHaveLength(2);
    expect(outlet.querySelector('[data-seq="9"]')?.classList.contains('refused')).toBe(true);
    const more = [...outlet.querySelectorAll('button')].find(b => b.textContent === 'Older entries')!;
    expect(more.hidden).toBe(false);
    more.click();
    await settle();
    expect(outlet.querySelectorAll('#audit-results tbody tr')).toHaveLength(3);
    expect(more.hidden).toBe(true);
    expect(outlet.textContent).toContain('3 entries shown.');
  });

  it('lets a platform admin verify the hash chain and shows where it breaks', async () => {
    let intact = true;
    const server = new FakeServer()
      .on('POST', /api\/audit-events\/verification$/, () => ({ status: 200, body: intact
        ? { intact: true, rowsChecked: 21350, headSeq: 21350, verifiedAt: '2026-11-30T21:30:00Z', tookMs: 370 }
        : { intact: false, rowsChecked: 99, brokenAt: 100, problem: 'hash does not match the row\'s content (altered)',
          headSeq: 21350, verifiedAt: '2026-11-30T21:31:00Z', tookMs: 380 } }));
    const outlet = document.createElement('div');
    renderAuditSearch(context(server, ['platform-admin']), outlet);
    const verify = [...outlet.querySelectorAll('button')].find(b => b.textContent === 'Verify the hash chain now')!;
    verify.click();
    await settle();
    expect(server.calls.map(c => c.method)).toEqual(['POST']);
    expect(outlet.querySelector('#chain-verdict')?.textContent)
      .toContain('Intact All 21,350 audit events recomputed; the chain head is at #21350');
    intact = false;
    verify.click();
    await settle();
    expect(outlet.querySelector('#chain-verdict .chain-broken')?.textContent)
      .toContain('Broken At #100: hash does not match the row\'s content (altered). The 99 events before it');
  });

  it('does not offer the chain verification to a tenant admin', () => {
    const outlet = document.createElement('div');
    renderAuditSearch(context(new FakeServer()), outlet);
    expect([...outlet.querySelectorAll('button')].some(b => b.textContent?.includes('hash chain'))).toBe(false);
    expect(describeVerification({ intact: true, rowsChecked: 5, headSeq: 5, verifiedAt: 'x', tookMs: 1 }))
      .toContain('All 5 audit events');
  });
});
