import type { AppContext } from '../context';
import { h, mount, field } from '../dom';
import { formatDateTime } from '../fhir';
import type { DocBundle } from '../ips-model';
import { formatShareCode, isShareCodeComplete } from '../portal-model';
import { ipsArticle, ipsPatient } from './ips';
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
      const doc = await ctx.api.request<DocBundle>('GET', r.summary, undefined, 'application/fhir+json');
      const { patient, name } = ipsPatient(doc, r.patient);
      mount(result, ipsArticle(ctx, doc, name, patient, r.institution,
        `You may read this summary until ${formatDateTime(r.accessUntil)}.`));
      document.title = `Summary: ${name} · Meridian EHR`;
      code.value = '';
    } catch (e) {
      mount(feedback, errorBox(e));
    }
  }
}
