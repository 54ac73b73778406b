import { FakeServer, settle } from './fake-server';
import { createdNotice, emptyDraft, fieldOfError, toCreateRequest, validateNewUser, type UserView }
  from '../src/admin-users-model';
import { renderAdminUsers } from '../src/views/admin-users';
import { BreakGlassStore, type AppContext } from '../src/context';

const jansen: UserView = { id: 'u1', username: 'dr.jansen', firstName: 'Pieter', lastName: 'Jansen',
  email: 'dr.jansen@amstel.example.nl', institution: 'nl-amstel', role: 'clinician', enabled: true,
  practitionerId: 'prac-nl-jansen' };

function context(server: FakeServer, roles = ['tenant-admin'], tenant: string | undefined = 'nl-amstel'): AppContext {
  return { api: server.api(), user: { username: 'admin.amstel', name: 'Eva de Boer', tenant, roles },
    institutions: new Map([['nl-amstel', { id: 'nl-amstel', name: 'Amstel Hospital', country: 'NL' }],
      ['de-spree', { id: 'de-spree', name: 'Spree Klinikum', country: 'DE' }]]),
    breakGlass: new BreakGlassStore(sessionStorage), navigate: () => {} };
}

function fill(outlet: HTMLElement, name: string, value: string): void {
  const control = outlet.querySelector<HTMLInputElement | HTMLSelectElement>(`[name="${name}"]`)!;
  control.value = value;
  control.dispatchEvent(new Event(control.tagName === 'SELECT' ? 'change' : 'input'));
}

function fillValid(outlet: HTMLElement): void {
  fill(outlet, 'username', 'dr.bakker');
  fill(outlet, 'firstName', 'Lotte');
  fill(outlet, 'lastName', 'Bakker');
  fill(outlet, 'email', 'dr.bakker@amstel.example.nl');
  fill(outlet, 'role', 'nurse');
}

const errorAt = (outlet: HTMLElement, name: string): string =>
  outlet.querySelector<HTMLElement>(`[name="${name}"]`)!.parentElement!.querySelector('.field-error')!.textContent ?? '';

describe('user administration model', () => {
  it('checks the new-user form field by field, as the server does', () => {
    expect(Object.keys(validateNewUser(emptyDraft())).sort()).toEqual(['email', 'firstName', 'lastName', 'username']);
    const ok = { ...emptyDraft(), username: 'Dr.Bakker', firstName: 'L', lastName: 'B', email: 'l@b.nl' };
    expect(validateNewUser(ok)).toEqual({});
    expect(validateNewUser({ ...ok, role: 'platform-admin' }).role).toBe('Choose a role.');
    expect(validateNewUser({ ...ok, password: 'short' }).password).toContain('8 to 128');
    expect(validateNewUser({ ...ok, username: 'a b' }).username).toContain('3 to 64');
  });

  it('sends the username in lower case and no password when none is given', () => {
    const d = { ...emptyDraft(), username: ' Dr.Bakker ', firstName: 'L ', lastName: 'B', email: 'l@b.nl' };
    expect(toCreateRequest(d)).toEqual({ username: 'dr.bakker', firstName: 'L', lastName: 'B', email: 'l@b.nl',
      role: 'clinician' });
    expect(toCreateRequest({ ...d, password: 'Temp-pass-1' }).password).toBe('Temp-pass-1');
  });

  it('places server errors at their field', () => {
    expect(fieldOfError('EHR-0907')).toBe('username');
    expect(fieldOfError('EHR-0913')).toBe('email');
    expect(fieldOfError('EHR-0902')).toBe('role');
    expect(fieldOfError('EHR-0911')).toBe('password');
    expect(fieldOfError('EHR-0906')).toBeUndefined();
  });

  it('says whether the new account has a temporary password or nothing', () => {
    expect(createdNotice({ user: jansen, credential: 'temporary-password' })).toContain('temporary password');
    expect(createdNotice({ user: jansen, credential: 'none' })).toContain('nothing was sent');
  });
});

describe('user administration screen', () => {
  it('lists the institution\'s users and creates one with the role chosen', async () => {
    const server = new FakeServer()
      .on('GET', /api\/admin\/users/, { status: 200, body: { users: [jansen] } })
      .on('POST', /api\/admin\/users$/, call => ({ status: 201, body: { credential: 'none',
        user: { ...jansen, id: 'u2', ...(call.body as object), institution: 'nl-amstel', enabled: true } } }));
    const outlet = document.createElement('div');
    renderAdminUsers(context(server), outlet);
    await settle();
    expect(outlet.querySelector('tr[data-username="dr.jansen"]')?.textContent).toContain('Pieter Jansen');
    fillValid(outlet);
    outlet.querySelector<HTMLFormElement>('form.user-create')!.dispatchEvent(new Event('submit'));
    await settle();
    const post = server.calls.find(c => c.method === 'POST')!;
    expect(post.body).toEqual({ username: 'dr.bakker', firstName: 'Lotte', lastName: 'Bakker',
      email: 'dr.bakker@amstel.example.nl', role: 'nurse' });
    expect(outlet.querySelector('.form-status')?.textContent).toContain('dr.bakker was created without a password');
  });

  it('shows a refused username at the username field and sends nothing while the form is incomplete', async () => {
    const server = new FakeServer()
      .on('GET', /api\/admin\/users/, { status: 200, body: { users: [] } })
      .on('POST', /api\/admin\/users$/, { status: 409,
        body: { code: 'EHR-0907', message: 'EHR-0907 the username is already taken' } });
    const outlet = document.createElement('div');
    renderAdminUsers(context(server), outlet);
    await settle();
    outlet.querySelector<HTMLFormElement>('form.user-create')!.dispatchEvent(new Event('submit'));
    await settle();
    expect(server.calls.filter(c => c.method === 'POST')).toHaveLength(0);
    expect(errorAt(outlet, 'email')).toContain('e-mail address');
    fillValid(outlet);
    outlet.querySelector<HTMLFormElement>('form.user-create')!.dispatchEvent(new Event('submit'));
    await settle();
    expect(errorAt(outlet, 'username')).toBe('the username is already taken');
    expect(outlet.querySelector('[name="username"]')?.getAttribute('aria-invalid')).toBe('true');
    expect(errorAt(outlet, 'email')).toBe('');
  });

  it('changes a role and disables a user through the API', async () => {
    const server = new FakeServer()
      .on('GET', /api\/admin\/users/, { status: 200, body: { users: [jansen] } })
      .on('PUT', /api\/admin\/users\/u1\/(role|enabled)$/, { status: 200, body: jansen });
    const outlet = document.createElement('div');
    renderAdminUsers(context(server), outlet);
    await settle();
    const role = outlet.querySelector<HTMLSelectElement>('select[aria-label="Role of dr.jansen"]')!;
    role.value = 'tenant-admin';
    role.dispatchEvent(new Event('change'));
    await settle();
    [...outlet.querySelectorAll('button')].find(b => b.textContent === 'Disable dr.jansen')!.click();
    await settle();
    expect(server.calls.filter(c => c.method === 'PUT').map(c => [c.url, c.body])).toEqual([
      ['api/admin/users/u1/role', { role: 'tenant-admin' }], ['api/admin/users/u1/enabled', { enabled: false }]]);
  });

  it('lets a platform admin choose the institution and sends it', async () => {
    const server = new FakeServer().on('GET', /api\/admin\/users/, { status: 200, body: { users: [] } });
    const outlet = document.createElement('div');
    renderAdminUsers(context(server, ['platform-admin'], undefined), outlet);
    await settle();
    const picker = outlet.querySelector<HTMLSelectElement>('#user-institution')!;
    picker.value = 'de-spree';
    picker.dispatchEvent(new Event('change'));
    await settle();
    expect(server.urls(/admin\/users/)).toEqual(['api/admin/users?institution=nl-amstel',
      'api/admin/users?institution=de-spree']);
  });

  it('pages through a long list with "More users"', async () => {
    const user = (n: number): typeof jansen => ({ ...jansen, id: `u${n}`, username: `staff${n}` });
    const server = new FakeServer().on('GET', /api\/admin\/users/, call => ({ status: 200,
      body: call.url.includes('first=120') ? { users: [user(51)], next: null }
        : { users: Array.from({ length: 50 }, (_, i) => user(i + 1)), next: 120 } }));
    const outlet = document.createElement('div');
    renderAdminUsers(context(server), outlet);
    await settle();
    expect(outlet.querySelectorAll('table.users tbody tr')).toHaveLength(50);
    const more = outlet.querySelector<HTMLButtonElement>('button.more-users')!;
    expect(more.hidden).toBe(false);
    more.click();
    await settle();
    expect(server.urls(/admin\/users/)).toEqual(['api/admin/users', 'api/admin/users?first=120']);
    expect(outlet.querySelectorAll('table.users tbody tr')).toHaveLength(51);
    expect(outlet.querySelector('[data-username="staff51"]')).not.toBeNull();
    expect(more.hidden).toBe(true);
  });
});
