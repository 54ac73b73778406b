import { ApiError } from '../api';
import type { AppContext } from '../context';
import { h, mount, field } from '../dom';
import {
  PURPOSES, SENSITIVE_CATEGORIES, countryName, grantBody, grantStatus, granteeText, lastDay, periodText, scopeText,
  validateGrant,
  type Grant, type GrantDraft, type GranteeOption, type ScopeKind,
} from '../portal-model';
import { errorBox } from './patients';

/**
 * Access grants: the patient's grants (change, revoke) and a form to grant a doctor or an institution anywhere
 * access (grantee search across institutions and countries, scope, purpose, period). A grant to someone in
 * another country than where the record is held needs an explicit confirmation in a dialog.
 */
export function renderGrants(ctx: AppContext, outlet: HTMLElement): void {
  const list = h('div', { 'aria-live': 'polite' });
  const formSlot = h('div');
  const flash = h('div', { 'aria-live': 'polite' });
  mount(outlet, h('section', { class: 'page portal' }, h('h1', { tabindex: '-1' }, 'Access grants'),
    h('p', { class: 'muted' }, 'You decide who may see your record, at every institution that holds it. '
      + 'Revoking takes effect immediately.'), flash, list, formSlot, outsideRecordsSetting(ctx)));

  async function load(): Promise<void> {
    try {
      const grants = await ctx.api.get<Grant[]>('api/grants');
      mount(list, grantTable(grants));
    } catch (e) {
      mount(list, errorBox(e));
    }
  }

  function grantTable(grants: Grant[]): HTMLElement {
    if (grants.length === 0) return h('p', { class: 'muted' }, 'You have not given anyone access yet.');
    return h('table', { class: 'grid reflow', id: 'grant-list' }, h('caption', { class: 'visually-hidden' }, 'Your grants'),
      h('thead', null, h('tr', null, ['Who', 'What', 'Purpose', 'Period', 'Status', ''].map(t => h('th', { scope: 'col' }, t)))),
      h('tbody', null, grants.map(g => {
        const status = grantStatus(g);
        const who = g.granteeName ?? g.practitioner ?? g.institution ?? '';
        return h('tr', { 'data-grant': g.id },
          h('td', { 'data-label': 'Who' }, granteeText(g), g.granteeCountry ? ` (${countryName(g.granteeCountry)})` : '',
            g.crossBorder ? h('span', { class: 'badge cross-border', title: 'In another country than your own' },
              'Cross-border') : ''),
          h('td', { 'data-label': 'What' }, scopeText(g.scope, g.categories)),
          h('td', { 'data-label': 'Purpose' }, PURPOSES.find(p => p.code === g.purpose)?.label ?? g.purpose),
          h('td', { 'data-label': 'Period', class: 'period' }, periodText(g)),
          h('td', { 'data-label': 'Status' }, h('span', { class: `badge ${status}` }, status)),
          h('td', { class: 'actions' }, status === 'active' || status === 'scheduled' ? [
            h('button', { type: 'button', onclick: () => showForm(g), 'aria-label': `Change the grant to ${who}` },
              'Change'),
            h('button', { type: 'button', class: 'danger', onclick: () => void revoke(g, who),
              'aria-label': `Revoke the grant to ${who}` }, 'Revoke')] : ''));
      })));
  }

  async function revoke(g: Grant, who: string): Promise<void> {
    try {
      await ctx.api.request('DELETE', `api/grants/${encodeURIComponent(g.id)}`);
      mount(flash, h('p', { class: 'flash', role: 'status' }, `Access for ${who} was revoked.`));
      await load();
    } catch (e) {
      mount(flash, errorBox(e));
    }
  }

  function showForm(existing?: Grant): void {
    mount(formSlot, grantForm(ctx, existing, async (message) => {
      mount(formSlot);
      mount(flash, h('p', { class: 'flash', role: 'status' }, message));
      await load();
    }));
  }

  showForm();
  void load();
}

function grantForm(ctx: AppContext, existing: Grant | undefined, done: (message: string) => Promise<void>):
  HTMLElement {
  const draft: GrantDraft = {
    grantee: existing ? { kind: existing.practitioner ? 'practitioner' : 'institution',
      id: existing.practitioner ?? existing.institution ?? '', name: existing.granteeName ?? '', institution: '',
      institutionName: '', country: existing.granteeCountry, crossBorder: existing.crossBorder } : undefined,
    scope: existing?.scope ?? 'exclude-sensitive', categories: existing?.categories ?? [],
    purpose: existing?.purpose ?? 'TREAT', start: '', end: existing?.end ? lastDay(existing.end) : '',
  };
  const errors: Record<string, HTMLElement> = {};
  const errorSlot = (key: string) => (errors[key] = h('span', { class: 'field-error', id: `grant-${key}-error` }));

  const search = h('input', { id: 'grantee-search', type: 'search', autocomplete: 'off',
    'aria-describedby': 'grant-grantee-error', placeholder: 'Name, institution or country' });
  const results = h('ul', { class: 'plain grantee-results', id: 'grantee-results',
    'aria-label': 'Matching doctors and institutions' });
  const chosen = h('p', { class: 'chosen', 'aria-live': 'polite' });
  let timer: number | undefined;
  search.addEventListener('input', () => {
    window.clearTimeout(timer);
    timer = window.setTimeout(() => void find(search.value), 250);
  });

  async function find(q: string): Promise<void> {
    try {
      const options = await ctx.api.get<GranteeOption[]>(`api/grantees?q=${encodeURIComponent(q)}`);
      mount(results, options.length === 0 ? h('li', { class: 'muted' }, 'Nobody found.') : options.map(o =>
        h('li', null, h('button', { type: 'button', class: 'option', 'data-grantee': o.id,
          onclick: () => choose(o) }, `${o.name}`, o.kind === 'practitioner' ? ` · ${o.institutionName}` : '',
        ` · ${countryName(o.country)}`, o.crossBorder ? h('span', { class: 'badge cross-border' }, 'Cross-border') : ''))));
    } catch (e) {
      mount(results, h('li', null, errorBox(e)));
    }
  }

  function choose(o: GranteeOption): void {
    draft.grantee = o;
    mount(chosen, 'Chosen: ', h('strong', null, o.name), o.kind === 'practitioner' ? ` at ${o.institutionName}` : '',
      ` (${countryName(o.country)})`);
    mount(results);
  }
  if (draft.grantee) mount(chosen, 'Grantee: ', h('strong', null, draft.grantee.name || draft.grantee.id));

  const scopeRadios = (['exclude-sensitive', 'all', 'categories'] as ScopeKind[]).map(s => {
    const input = h('input', { type: 'radio', name: 'grant-scope', value: s, id: `scope-${s}`,
      checked: draft.scope === s });
    input.addEventListener('change', () => {
      draft.scope = s;
      cats.hidden = s !== 'categories';
    });
    return h('label', { for: `scope-${s}`, class: 'choice' }, input, ' ', scopeText(s, ['…']).replace(', plus: …',
      ', plus chosen categories'));
  });
  const cats = h('fieldset', { class: 'categories', hidden: draft.scope !== 'categories' },
    h('legend', null, 'Sensitive categories to include'),
    SENSITIVE_CATEGORIES.map(c => {
      const box = h('input', { type: 'checkbox', value: c.code, id: `cat-${c.code}`,
        checked: draft.categories.includes(c.code) });
      box.addEventListener('change', () => {
        draft.categories = box.checked ? [...draft.categories, c.code] : draft.categories.filter(x => x !== c.code);
      });
      return h('label', { for: `cat-${c.code}`, class: 'choice' }, box, ' ', c.label);
    }), errorSlot('categories'));
  const purpose = h('select', { id: 'grant-purpose' }, PURPOSES.map(p => h('option', { value: p.code,
    selected: p.code === draft.purpose }, p.label)));
  const start = h('input', { id: 'grant-start', type: 'date', value: draft.start });
  const end = h('input', { id: 'grant-end', type: 'date', value: draft.end });
  const feedback = h('div', { 'aria-live': 'assertive' });
  const dialog = h('dialog', { id: 'cross-border-dialog', 'aria-labelledby': 'cb-title' });

  const form = h('form', { class: 'card grant-form', novalidate: true, onsubmit: (e: Event) => {
    e.preventDefault();
    void submit(false);
  } },
  h('h2', null, existing ? 'Change this grant' : 'Give access'),
  h('div', { class: 'field' }, h('label', { for: 'grantee-search' }, 'Doctor or institution'), search,
    h('span', { class: 'hint' }, 'Search across all institutions and countries'), errorSlot('grantee')),
  results, chosen,
  h('fieldset', null, h('legend', null, 'What they may see'), scopeRadios), cats,
  h('div', { class: 'row' }, field('Purpose', purpose), field('From', start, 'Empty: today'),
    h('div', { class: 'field' }, h('label', { for: 'grant-end' }, 'Until (inclusive)'), end,
      h('span', { class: 'hint' }, 'Empty: until you revoke'), errorSlot('end'))),
  feedback,
  h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary', id: 'grant-submit' },
    existing ? 'Save changes' : 'Give access')), dialog);
  if (existing) search.disabled = true;

  async function submit(confirmed: boolean): Promise<void> {
    draft.purpose = purpose.value;
    draft.start = start.value;
    draft.end = end.value;
    const problems = validateGrant(draft);
    for (const [key, el] of Object.entries(errors)) mount(el, problems[key] ?? '');
    if (Object.keys(problems).length) {
      mount(feedback, h('p', { class: 'error', role: 'alert' }, Object.values(problems).join(' ')));
      return;
    }
    if (!confirmed && draft.grantee?.crossBorder) {
      confirmCrossBorder();
      return;
    }
    try {
      const body = grantBody(draft, confirmed);
      if (existing) await ctx.api.request('PUT', `api/grants/${encodeURIComponent(existing.id)}`, body);
      else await ctx.api.post('api/grants', body);
      await done(`${draft.grantee?.name || draft.grantee?.id} ${existing ? 'now has the changed access' : 'now has access'}.`);
    } catch (e) {
      if (e instanceof ApiError && e.code === 'EHR-0754' && !confirmed) {
        confirmCrossBorder(e.messages.join(' '));
        return;
      }
      if (e instanceof ApiError && e.code && UNKNOWN_GRANTEE.includes(e.code)) {
        mount(errors.grantee, e.messages.map(m => m.replace(/^EHR-\d{4}\s*/, '')).join(' '));
      }
      mount(feedback, errorBox(e));
    }
  }

  function confirmCrossBorder(serverText?: string): void {
    const g = draft.grantee!;
    mount(dialog, h('h2', { id: 'cb-title' }, 'Share your record across a border?'),
      h('p', null, serverText ?? `${g.name} is in ${countryName(g.country)}, another country than where your `
        + 'record is held. Data protection rules of that country apply to what they see.'),
      h('div', { class: 'actions' },
        h('button', { type: 'button', class: 'primary', id: 'cb-confirm', onclick: () => {
          closeDialog(dialog);
          void submit(true);
        } }, 'Yes, share across the border'),
        h('button', { type: 'button', id: 'cb-cancel', onclick: () => closeDialog(dialog) }, 'Cancel')));
    if (typeof dialog.showModal === 'function') dialog.showModal();
    else dialog.setAttribute('open', '');
    dialog.querySelector<HTMLButtonElement>('#cb-cancel')?.focus();
  }
  return form;
}

/** The server knows no such practitioner (EHR-0614) or institution (EHR-0611): shown at the grantee field too. */
const UNKNOWN_GRANTEE = ['EHR-0611', 'EHR-0614'];

function closeDialog(dialog: HTMLDialogElement): void {
  if (typeof dialog.close === 'function') dialog.close();
  else dialog.removeAttribute('open');
}

export const OUTSIDE_RECORDS_LABEL = 'Let clinicians who treat me know that other institutions hold records about me';
export const OUTSIDE_RECORDS_NOTE = 'They do not see those records or which institutions hold them. You can share '
  + 'records with a grant above.';

/**
 * The patient's consent to the outside-records hint (issue #20, ADR 0033): off by default, switched on and off here;
 * each change is stored and audited by the server, and the box shows what the server answered.
 */
export function outsideRecordsSetting(ctx: AppContext): HTMLElement {
  const box = h('input', { type: 'checkbox', id: 'outside-records-hint', disabled: true,
    'aria-describedby': 'outside-records-note' }) as HTMLInputElement;
  const status = h('p', { class: 'muted', role: 'status', 'aria-live': 'polite' });
  const show = (r: { enabled: boolean }) => { box.checked = r.enabled; box.disabled = false; };
  box.addEventListener('change', () => {
    const wanted = box.checked;
    box.disabled = true;
    void ctx.api.request<{ enabled: boolean }>('PUT', 'api/me/outside-records-hint', { enabled: wanted }).then(r => {
      show(r);
      status.textContent = r.enabled ? 'Clinicians who treat you will see that records exist elsewhere.'
        : 'Clinicians will not be told that records exist elsewhere.';
    }).catch(e => {
      box.checked = !wanted;
      box.disabled = false;
      mount(status, errorBox(e));
    });
  });
  void ctx.api.get<{ enabled: boolean }>('api/me/outside-records-hint').then(show)
    .catch(e => mount(status, errorBox(e)));
  return h('section', { class: 'setting outside-records', 'aria-labelledby': 'outside-records-title' },
    h('h2', { id: 'outside-records-title' }, 'Records at other institutions'),
    h('div', { class: 'check' }, box, h('label', { for: 'outside-records-hint' }, OUTSIDE_RECORDS_LABEL)),
    h('p', { class: 'muted', id: 'outside-records-note' }, OUTSIDE_RECORDS_NOTE), status);
}
