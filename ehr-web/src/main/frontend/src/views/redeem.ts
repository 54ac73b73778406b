import type { AppContext } from '../context';
import { institutionLabel } from '../context';
import { h, mount, field } from '../dom';
import { formatDateTime } from '../fhir';
import { formatShareCode, ipsSections, isShareCodeComplete } from '../portal-model';
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
      const doc = await ctx.api.request<{ entry?: { resource?: Record<string, unknown> }[] }>('GET', r.summary,
        undefined, 'application/fhir+json');
      const patient = doc.entry?.[1]?.resource as { name?: { given?: string[]; family?: string }[];
        birthDate?: string } | undefined;
      const name = patient?.name?.[0] ? `${(patient.name[0].given ?? []).join(' ')} ${patient.name[0].family ?? ''}`
        : r.patient;
      mount(result, h('article', { class: 'ips', 'aria-labelledby': 'ips-title' },
        h('h2', { id: 'ips-title' }, `Patient summary: ${name.trim()}`),
        h('p', { class: 'muted' }, `Record held by ${institutionLabel(ctx, r.institution)}. `
          + `Birth date ${patient?.birthDate ?? 'unknown'}. You may read this summary until ${formatDateTime(r.accessUntil)}.`),
        h('div', { class: 'cards' }, ipsSections(doc).map(s => h('section', { class: 'card',
          'aria-label': s.title }, h('h3', null, s.title),
        h('ul', { class: 'plain' }, s.lines.map(l => h('li', null, l))))))));
      code.value = '';
    } catch (e) {
      mount(feedback, errorBox(e));
    }
  }
}
