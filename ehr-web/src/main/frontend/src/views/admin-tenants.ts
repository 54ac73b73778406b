import type { AppContext, Institution } from '../context';
import { h, mount } from '../dom';
import { validateTenant, type TenantDraft } from '../admin-model';
import { AdminForm, flash } from './admin-form';
import { errorBox } from './patients';

/** Institutions (tenants), for the platform admin (issue #8): the list and a form to register a new one. */
export function renderTenants(ctx: AppContext, outlet: HTMLElement): void {
  const status = h('div', { 'aria-live': 'polite' });
  const list = h('div');
  const form = new AdminForm();
  const id = h('input', { type: 'text', autocomplete: 'off', maxlength: '63' });
  const name = h('input', { type: 'text', autocomplete: 'off', maxlength: '200' });
  const country = h('input', { type: 'text', autocomplete: 'off', maxlength: '2', size: '3' });
  const region = h('input', { type: 'text', autocomplete: 'off' });
  mount(outlet, h('section', { class: 'page admin' }, h('h1', { tabindex: '-1' }, 'Institutions'),
    h('p', { class: 'muted' }, 'The institutions (tenants) on this platform, with their country and the region '
      + 'their data must stay in.'), status,
    h('form', { class: 'admin-form', 'aria-label': 'Register an institution', onsubmit: (e: Event) => {
      e.preventDefault();
      const draft: TenantDraft = { id: id.value.trim(), name: name.value.trim(),
        country: country.value.trim().toUpperCase(), region: region.value.trim() };
      if (!form.show(validateTenant(draft))) return;
      void register(draft);
    } }, h('h2', null, 'Register an institution'), form.general,
    h('div', { class: 'row tenant-row' }, form.field('id', 'Id', id, 'e.g. be-schelde'),
      form.field('name', 'Name', name), form.field('country', 'Country', country, 'ISO code, e.g. BE'),
      form.field('region', 'Region', region, 'e.g. eu-west'),
      h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, 'Register')))),
    list));

  async function register(d: TenantDraft): Promise<void> {
    try {
      await ctx.api.request('PUT', `api/tenants/${encodeURIComponent(d.id)}`,
        { name: d.name, country: d.country, region: d.region });
      flash(status, `${d.name} (${d.country}) registered.`);
      for (const input of [id, name, country, region]) input.value = '';
      await load();
    } catch (e) {
      form.failed(e);
    }
  }

  async function load(): Promise<void> {
    try {
      const tenants = await ctx.api.get<Institution[]>('api/tenants');
      mount(list, h('table', { class: 'grid', id: 'tenant-list' },
        h('caption', { class: 'visually-hidden' }, 'Institutions'),
        h('thead', null, h('tr', null, ['Id', 'Name', 'Country', 'Region'].map(t => h('th', { scope: 'col' }, t)))),
        h('tbody', null, tenants.map(t => h('tr', { 'data-tenant': t.id }, h('td', { class: 'mono' }, t.id),
          h('td', null, t.name), h('td', null, t.country), h('td', null, t.region ?? ''))))));
    } catch (e) {
      mount(list, errorBox(e));
    }
  }

  void load();
}
