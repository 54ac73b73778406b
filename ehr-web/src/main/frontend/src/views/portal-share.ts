import type { AppContext } from '../context';
import { h, mount, field } from '../dom';
import { formatDateTime } from '../fhir';
import { errorBox } from './patients';

interface ShareCodeView {
  id: string;
  code: string | null;
  created: string;
  expires: string;
  status: 'valid' | 'used' | 'expired' | 'withdrawn';
  redeemedBy: string | null;
  redeemedAt: string | null;
  redeemedInstitution: string | null;
}

const VALIDITY = [{ hours: 1, label: '1 hour' }, { hours: 24, label: '24 hours' }, { hours: 72, label: '3 days' },
  { hours: 168, label: '7 days' }];

/** Share code: a one-time code a doctor anywhere can redeem to read the patient summary for a few hours. */
export function renderShareCodes(ctx: AppContext, outlet: HTMLElement): void {
  const validity = h('select', { id: 'share-validity', name: 'validity' },
    VALIDITY.map(v => h('option', { value: String(v.hours), selected: v.hours === 24 }, v.label)));
  const shown = h('div', { 'aria-live': 'polite' });
  const list = h('div');
  const form = h('form', { class: 'card share-form', onsubmit: (e: Event) => {
    e.preventDefault();
    void create();
  } },
  h('p', null, 'Give this code to a doctor who does not know you, for example abroad. With it they can read your '
    + 'patient summary (problems, medication, allergies, vaccinations, results, procedures) once, for up to 4 hours. '
    + 'Sensitive information is never included. Every use appears in “Who accessed my record”.'),
  h('div', { class: 'actions' }, field('Valid for', validity),
    h('button', { type: 'submit', class: 'primary', id: 'share-create' }, 'Create share code')));
  mount(outlet, h('section', { class: 'page' }, h('h1', { tabindex: '-1' }, 'Share code'), form, shown,
    h('h2', null, 'Your share codes'), list));

  async function create(): Promise<void> {
    try {
      const c = await ctx.api.post<ShareCodeView>('api/share-codes', { hours: Number(validity.value) });
      mount(shown, h('div', { class: 'card share-code', role: 'status' },
        h('p', null, 'Your share code (shown only now):'),
        h('p', { class: 'code', id: 'share-code-value' }, c.code ?? ''),
        h('p', { class: 'muted' }, `Valid until ${formatDateTime(c.expires)}, for one use.`)));
      await load();
    } catch (e) {
      mount(shown, errorBox(e));
    }
  }

  async function withdraw(id: string): Promise<void> {
    try {
      await ctx.api.request('DELETE', `api/share-codes/${encodeURIComponent(id)}`);
      await load();
    } catch (e) {
      mount(shown, errorBox(e));
    }
  }

  async function load(): Promise<void> {
    try {
      const codes = await ctx.api.get<ShareCodeView[]>('api/share-codes');
      mount(list, codes.length === 0 ? h('p', { class: 'muted' }, 'You have not created a share code yet.')
        : h('table', { class: 'grid' }, h('thead', null, h('tr', null, ['Created', 'Valid until', 'Status', 'Used by', '']
          .map(t => h('th', { scope: 'col' }, t)))),
        h('tbody', null, codes.map(c => h('tr', null,
          h('td', null, formatDateTime(c.created)), h('td', null, formatDateTime(c.expires)),
          h('td', null, h('span', { class: `badge ${c.status}` }, c.status)),
          h('td', null, c.redeemedBy ? `${c.redeemedBy} (${c.redeemedInstitution ?? ''}), ${formatDateTime(c.redeemedAt ?? '')}`
            : ''),
          h('td', null, c.status === 'valid' ? h('button', { type: 'button', onclick: () => void withdraw(c.id),
            'aria-label': `Withdraw the code created ${formatDateTime(c.created)}` }, 'Withdraw') : ''))))));
    } catch (e) {
      mount(list, errorBox(e));
    }
  }
  void load();
}
