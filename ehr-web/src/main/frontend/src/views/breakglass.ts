import type { ApiError } from '../api';
import type { AppContext } from '../context';
import { h, mount } from '../dom';
import { formatDateTime } from '../fhir';
import { errorBox } from './patients';

export const MIN_REASON_LENGTH = 10;

export function validateReason(reason: string): string | undefined {
  const r = reason.trim();
  if (!r) return 'A reason is required: it is recorded and reviewed.';
  if (r.length < MIN_REASON_LENGTH) return `Give a reason of at least ${MIN_REASON_LENGTH} characters.`;
  return undefined;
}

/**
 * Offered when the API refuses a patient outside the clinician's care team: emergency access with a mandatory
 * reason (POST api/break-glass), audited by the server. On success the chart is shown again, with the banner.
 */
export function breakGlassPanel(ctx: AppContext, patientId: string, cause: ApiError, onGranted: () => void):
  HTMLElement {
  const reason = h('textarea', { id: 'bg-reason', name: 'reason', rows: '3', required: true,
    'aria-describedby': 'bg-hint' });
  const feedback = h('div', { 'aria-live': 'assertive' });
  const submit = h('button', { type: 'submit', class: 'danger' }, 'Break the glass');
  const form = h('form', { class: 'break-glass-form', novalidate: true, onsubmit: (e: Event) => {
    e.preventDefault();
    void request();
  } },
  h('label', { for: 'bg-reason' }, 'Reason for emergency access'),
  h('span', { class: 'hint', id: 'bg-hint' }, 'Mandatory. It is stored in the audit trail, shown to the patient and '
    + 'reviewed by your institution.'),
  reason, feedback, h('div', { class: 'actions' }, submit));

  async function request(): Promise<void> {
    const problem = validateReason(reason.value);
    if (problem) {
      reason.setAttribute('aria-invalid', 'true');
      mount(feedback, h('p', { class: 'error', role: 'alert' }, problem));
      reason.focus();
      return;
    }
    submit.disabled = true;
    try {
      const granted = await ctx.api.post<{ expires: string }>('api/break-glass',
        { patient: `Patient/${patientId}`, reason: reason.value.trim() });
      ctx.breakGlass.activate(patientId, granted.expires, reason.value.trim());
      onGranted();
    } catch (e) {
      mount(feedback, errorBox(e));
    } finally {
      submit.disabled = false;
    }
  }

  return h('section', { class: 'card break-glass', role: 'region', 'aria-labelledby': 'bg-title' },
    h('h2', { id: 'bg-title' }, 'You have no access to this patient\u2019s record'),
    h('p', null, cause.status === 403 ? 'The patient is not under the care of your team, and has not shared their '
      + 'record with you.' : 'This record is not available to you.', ' ',
    h('span', { class: 'muted' }, cause.messages.join('; '))),
    h('p', null, 'In an emergency you may break the glass: you get access for a limited time, and the access is audited.'),
    form);
}

export function breakGlassBanner(ctx: AppContext, patientId: string): HTMLElement | null {
  const active = ctx.breakGlass.active(patientId);
  if (!active) return null;
  return h('div', { class: 'bg-banner', role: 'status' },
    h('strong', null, 'Break-the-glass access active'),
    ` until ${formatDateTime(active.expiresAt)} · reason: \u201c${active.reason}\u201d · every access is audited`);
}
