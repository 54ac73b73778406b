import type { AppContext } from '../context';
import { institutionLabel } from '../context';
import { h, mount, field } from '../dom';
import { formatDateTime, humanName, type Patient } from '../fhir';
import { custodians, ipsView, type IpsView } from '../ips-model';
import { formatShareCode, isShareCodeComplete } from '../portal-model';
import { demographics } from './patient-banner';
import { errorBox } from './patients';

/** A clinician (any institution) redeems a patient's share code and reads their patient summary (IPS). */
export function renderRedeem(ctx: AppContext, outlet: HTMLElement): void {
  const code = h('input', { id: 'redeem-code', name: 'code', autocomplete: 'off', spellcheck: 'false',
    placeholder: 'XXXXX-XXXXX', maxlength: '12', required: true });
  code.addEventListener('input', () => { code.value = formatShareCode(code.value); });
  const feedback = h('div', { 'aria-live': 'assertive' });
  const result = h('div');
  const form = h('form', { class: 'card', novalidate: true, onsubmit: (e: Event) => {
    e.preventDefault();
    void redeem();
  } },
  h('p', null, 'A patient can give you a one-time share code. Redeeming it is recorded in the patient\u2019s access log.'),
  h('div', { class: 'actions' }, field('Share code', code, 'Ten letters and digits, as the patient shows it'),
    h('button', { type: 'submit', class: 'primary' }, 'Show the summary')), feedback);
  mount(outlet, h('section', { class: 'page' }, h('h1', { tabindex: '-1' }, 'Patient summary by share code'), form,
    result));

  async function redeem(): Promise<void> {
    if (!isShareCodeComplete(code.value)) {
      code.setAttribute('aria-invalid', 'true');
      mount(feedback, h('p', { class: 'error', role: 'alert' }, 'Enter the ten letters and digits of the code.'));
      code.focus();
      return;
    }
    code.removeAttribute('aria-invalid');
    mount(feedback);
    try {
      const r = await ctx.api.post<{ patient: string; institution: string; accessUntil: string; summary: string }>(
        'api/share-codes/redeem', { code: code.value });
      const doc = await ctx.api.request<{ entry?: { fullUrl?: string; resource?: Record<string, unknown> }[] }>(
        'GET', r.summary, undefined, 'application/fhir+json');
      const patient = doc.entry?.find(e => e.resource?.resourceType === 'Patient')?.resource as Patient | undefined;
      const name = patient ? humanName(patient) : r.patient;
      const held = custodians(doc, r.institution).map(t => institutionLabel(ctx, t));
      mount(result, h('article', { class: 'ips', 'aria-labelledby': 'ips-title' },
        h('header', { class: 'patient-banner' }, h('h2', { id: 'ips-title' }, `Patient summary: ${name}`),
          patient ? h('span', { class: 'demo' }, demographics(patient)) : null),
        h('p', { class: 'muted held-by' }, `Held by ${held.join(', ')}. `
          + `You may read this summary until ${formatDateTime(r.accessUntil)}.`),
        h('div', { class: 'cards' }, ipsView(doc).map(section)),
        h('button', { type: 'button', class: 'print', onclick: () => window.print() }, 'Print this summary')));
      document.title = `Summary: ${name} · Meridian EHR`;
      code.value = '';
    } catch (e) {
      mount(feedback, errorBox(e));
    }
  }
}

function section(s: IpsView): HTMLElement {
  return h('section', { class: 'card', 'aria-label': s.title, 'data-section': s.code }, h('h3', null, s.title),
    s.items.length === 0 ? h('p', { class: 'muted' }, s.emptyText ?? 'Nothing recorded')
      : h('ul', { class: 'plain ips-items' }, s.items.map(i => h('li', null,
        h('span', { class: 'item-title' }, i.title),
        i.detail ? h('span', { class: 'item-detail' }, ` — ${i.detail}`) : '',
        i.flag ? h('span', { class: `flag flag-${i.flag.replace(/\W+/g, '-')}`, title: 'Outside the reference range' },
          ` ${i.flag}`) : '',
        i.meta ? h('span', { class: 'item-meta muted' }, ` · ${i.meta}`) : ''))));
}
