import { FakeServer, settle } from './fake-server';
import { emptyAppDraft, toRegistration, validateApp } from '../src/admin-apps-model';
import { renderAdminApps } from '../src/views/admin-apps';
import { BreakGlassStore, type AppContext } from '../src/context';

function context(server: FakeServer): AppContext {
  return { api: server.api(), user: { username: 'admin.amstel', name: 'Admin', tenant: 'nl-amstel',
    roles: ['tenant-admin'] }, institutions: new Map(), breakGlass: new BreakGlassStore(sessionStorage),
  navigate: () => {} };
}

const JWKS = '{"keys":[{"kty":"RSA","n":"abc","e":"AQAB"}]}';
const growth = { clientId: 'growth-charts', name: 'Growth Charts', kind: 'public', redirectUris: ['https://g.example/cb'],
  scopes: ['openid', 'launch', 'patient/*.rs'], hasKeys: false, registeredAt: '2026-12-06T10:00:00Z', revokedAt: null };

describe('SMART apps: the registry screen model (ADR 0031)', () => {
  it('validates a draft at its fields before the server decides', () => {
    const d = { ...emptyAppDraft(), clientId: 'meridian-x', name: '' };
    expect(Object.keys(validateApp(d)).sort()).toEqual(['clientId', 'name', 'redirectUris']);
    expect(validateApp({ ...emptyAppDraft(), clientId: 'registry', name: 'R', kind: 'backend', scopes: 'patient/*.rs',
      jwks: 'nope' })).toEqual({ scopes: expect.any(String), jwks: expect.any(String) });
    expect(validateApp({ ...emptyAppDraft(), clientId: 'registry', name: 'R', kind: 'backend', scopes: 'system/*.rs',
      jwks: JWKS })).toEqual({});
  });

  it('sends a backend service without redirect URIs and with its JWKS; others without keys', () => {
    expect(toRegistration({ clientId: ' registry ', name: 'R', kind: 'backend', redirectUris: 'https://x/cb',
      scopes: 'system/*.rs  system/Observation.rs', jwks: JWKS })).toEqual({ clientId: 'registry', name: 'R',
      kind: 'backend', redirectUris: [], scopes: ['system/*.rs', 'system/Observation.rs'], jwks: JWKS });
    expect(toRegistration({ ...emptyAppDraft(), clientId: 'g', name: 'G', redirectUris: 'https://a/cb\nhttps://b/cb' }))
      .toMatchObject({ redirectUris: ['https://a/cb', 'https://b/cb'], jwks: null });
  });
});

describe('SMART apps: the registry screen', () => {
  it('lists the apps, registers one (showing the server refusal at its field) and revokes after confirming', async () => {
    let revoked = false;
    const server = new FakeServer()
      .on('GET', /api\/admin\/apps$/, () => ({ status: 200, body: [{ ...growth, revokedAt: revoked ? '2026-12-06T11:00:00Z' : null }] }))
      .on('POST', /api\/admin\/apps$/, { status: 409, body: { code: 'EHR-1178', message: 'EHR-1178 the client id growth-charts is taken' } })
      .on('POST', /api\/admin\/apps\/growth-charts\/revoke$/, () => {
        revoked = true;
        return { status: 200, body: { app: growth, clientDisabled: true } };
      });
    const outlet = document.createElement('div');
    renderAdminApps(context(server), outlet);
    await settle();
    expect(outlet.querySelector('#app-list tr[data-app="growth-charts"]')!.textContent).toContain('Active');

    const set = (label: string, value: string) => {
      const field = [...outlet.querySelectorAll('.field')].find(f => f.querySelector('label')?.textContent === label)!;
      const control = field.querySelector('input, textarea') as HTMLInputElement;
      control.value = value;
      control.dispatchEvent(new Event('input'));
    };
    set('Client id', 'growth-charts');
    set('Name', 'Growth Charts');
    set('Redirect URIs', 'https://g.example/cb');
    (outlet.querySelector('#app-register') as HTMLFormElement).requestSubmit();
    await settle();
    expect(server.calls.find(c => c.method === 'POST' && c.url.endsWith('api/admin/apps'))!.body).toMatchObject({
      clientId: 'growth-charts', kind: 'public', redirectUris: ['https://g.example/cb'] });
    const clientIdField = [...outlet.querySelectorAll('.field')].find(f => f.textContent?.startsWith('Client id'))!;
    expect(clientIdField.querySelector('.field-error')!.textContent).toContain('EHR-1178');

    const revoke = outlet.querySelector('#app-list tr[data-app="growth-charts"] button') as HTMLButtonElement;
    revoke.click();
    expect(server.urls(/revoke/)).toHaveLength(0);
    revoke.click();
    await settle();
    expect(server.urls(/revoke/)).toHaveLength(1);
    expect(outlet.textContent).toContain('Growth Charts revoked');
    expect(outlet.querySelector('#app-list tr[data-app="growth-charts"]')!.textContent).toContain('Revoked 2026-12-06');
  });
});
