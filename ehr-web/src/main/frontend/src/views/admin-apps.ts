import { ApiError } from '../api';
import type { AppContext } from '../context';
import { h, mount } from '../dom';
import { APP_FIELD_OF_CODE, emptyAppDraft, KIND_LABELS, toRegistration, validateApp, type AppDraft, type AppKind,
  type AppView, type RegisteredView } from '../admin-apps-model';
import { AdminForm, confirmButton, flash } from './admin-form';
import { errorBox } from './patients';

/**
 * SMART apps (issue #23, ADR 0031), for a tenant admin: the institution's registered apps, a form to register one
 * (client id, name, kind, redirect URIs, allowed scopes, a backend service's JWKS) and revocation — a revoked app's
 * tokens stop working at once. The server decides and audits everything; its refusals are shown at their field.
 */
export function renderAdminApps(ctx: AppContext, outlet: HTMLElement): void {
  const status = h('div', { 'aria-live': 'polite' });
  const list = h('div');
  const form = new AdminForm();
  const draft: AppDraft = emptyAppDraft();
  const bind = <E extends HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement>(el: E, key: keyof AppDraft) => {
    el.addEventListener('input', () => { (draft as unknown as Record<string, string>)[key] = el.value; });
    return el;
  };
  const clientId = bind(h('input', { type: 'text', autocomplete: 'off', maxlength: '100' }), 'clientId');
  const name = bind(h('input', { type: 'text', autocomplete: 'off', maxlength: '200' }), 'name');
  const kind = h('select', null, (Object.keys(KIND_LABELS) as AppKind[]).map(k =>
    h('option', { value: k, selected: k === draft.kind }, KIND_LABELS[k])));
  const redirects = bind(h('textarea', { rows: '2' }), 'redirectUris');
  const scopes = bind(h('input', { type: 'text', autocomplete: 'off', value: draft.scopes }), 'scopes');
  const jwks = bind(h('textarea', { rows: '4', spellcheck: 'false' }), 'jwks');
  const jwksField = form.field('jwks', 'Public keys (JWKS)', jwks, 'The backend service\'s public keys; never a private key.');
  const redirectField = form.field('redirectUris', 'Redirect URIs', redirects, 'One per line; https (http only on localhost).');
  const showKind = () => {
    jwksField.hidden = draft.kind !== 'backend';
    redirectField.hidden = draft.kind === 'backend';
  };
  kind.addEventListener('change', () => {
    draft.kind = kind.value as AppKind;
    if (draft.kind === 'backend' && !scopes.value.startsWith('system/')) scopes.value = draft.scopes = 'system/*.rs';
    showKind();
  });
  showKind();
  mount(outlet, h('section', { class: 'page admin' }, h('h1', { tabindex: '-1' }, 'SMART apps'),
    h('p', { class: 'muted' }, 'Third-party apps your institution lets in. Every access through an app is audited '
      + 'with its name; revoking an app stops its tokens at once.'), status,
    h('form', { class: 'admin-form', id: 'app-register', 'aria-label': 'Register an app', novalidate: true,
      onsubmit: (e: Event) => {
        e.preventDefault();
        if (form.show(validateApp(draft))) void register();
      } }, h('h2', null, 'Register an app'), form.general,
    h('div', { class: 'row' }, form.field('clientId', 'Client id', clientId, 'e.g. growth-charts'),
      form.field('name', 'Name', name), form.field('kind', 'Kind', kind)),
    redirectField, form.field('scopes', 'Allowed scopes', scopes, 'Space-separated, e.g. openid launch patient/*.rs'),
    jwksField, h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, 'Register'))),
    list));

  async function register(): Promise<void> {
    try {
      const r = await ctx.api.request<RegisteredView>('POST', 'api/admin/apps', toRegistration(draft));
      mount(status, h('p', { class: 'flash', role: 'status' }, `${r.app.name} (${r.app.clientId}) registered.`,
        r.secret ? h('span', null, ' Its client secret, shown only now: ', h('code', { class: 'secret' }, r.secret))
          : ''));
      await load();
    } catch (e) {
      const field = e instanceof ApiError && e.code ? APP_FIELD_OF_CODE[e.code] : undefined;
      if (field && e instanceof ApiError) form.show({ [field]: e.messages.join('; ') });
      else form.failed(e);
    }
  }

  async function revoke(app: AppView): Promise<void> {
    try {
      await ctx.api.request('POST', `api/admin/apps/${encodeURIComponent(app.clientId)}/revoke`);
      flash(status, `${app.name} revoked: its tokens no longer work.`);
      await load();
    } catch (e) {
      mount(status, errorBox(e));
    }
  }

  async function load(): Promise<void> {
    try {
      const apps = await ctx.api.get<AppView[]>('api/admin/apps');
      mount(list, apps.length === 0 ? h('p', { class: 'muted', id: 'app-list' }, 'No apps registered yet.')
        : h('table', { class: 'grid', id: 'app-list' }, h('caption', { class: 'visually-hidden' }, 'Registered apps'),
          h('thead', null, h('tr', null, ['Name', 'Client id', 'Kind', 'Scopes', 'Status', ''].map(t =>
            h('th', { scope: 'col' }, t)))),
          h('tbody', null, apps.map(a => h('tr', { 'data-app': a.clientId, class: a.revokedAt ? 'revoked' : '' },
            h('td', null, a.name), h('td', { class: 'mono' }, a.clientId), h('td', null, a.kind),
            h('td', { class: 'mono' }, a.scopes.join(' ')),
            h('td', null, a.revokedAt ? `Revoked ${a.revokedAt.slice(0, 10)}` : 'Active'),
            h('td', null, a.revokedAt ? '' : confirmButton('Revoke', `Revoke ${a.name}`, () => revoke(a))))))));
    } catch (e) {
      mount(list, errorBox(e));
    }
  }

  void load();
}
