import { ApiError } from '../api';
import type { AppContext } from '../context';
import { institutionLabel } from '../context';
import { h, mount } from '../dom';
import { formatDateTime } from '../fhir';
import { demographics } from './patient-banner';

export const MIN_REASON_LENGTH = 10;

export function validateReason(reason: string): string | undefined {
  const r = reason.trim();
  if (!r) return 'A reason is required: it is recorded and reviewed.';
  if (r.length < MIN_REASON_LENGTH) return `Give a reason of at least ${MIN_REASON_LENGTH} characters.`;
  return undefined;
}

/** GET api/break-glass/preview: the patient registered at the caller's institution whom a session would open. */
export interface BreakGlassPreview {
  id: string;
  name?: string;
  birthDate?: string;
  gender?: string;
  institution?: string;
}

const NOT_REGISTERED = 'EHR-0658';

/** What a clinician is told for the server's answers here, by EHR code; the code is always shown with it. */
const EXPLAINED: Record<string, string> = {
  'EHR-0658': 'No such patient is registered at your institution. Break-the-glass opens only a patient registered '
    + 'here: check the patient id, or find the patient under My patients.',
  'EHR-0654': 'No such patient is registered at your institution.',
  'EHR-0656': 'That is not a valid patient id.',
  'EHR-0320': 'Only a clinician may break the glass.',
  'EHR-0314': 'This record is not available to you.',
  'EHR-0671': 'This patient\u2019s record is not available to you.',
};

/**
 * A server answer as a sentence a clinician can act on, with its EHR code (for support), never the raw text:
 * known codes are explained; an unexpected failure names its incident reference; anything else by its status.
 */
export function explainError(e: unknown): string {
  if (!(e instanceof ApiError)) return 'The request did not reach the server. Check the connection and try again.';
  const code = e.code ?? /\bEHR-\d{4}\b/.exec(e.messages.join(' '))?.[0];
  const incident = /incident ([0-9a-f-]{8,})/i.exec(e.messages.join(' '))?.[1];
  const sentence = (code && EXPLAINED[code])
    ?? (e.status >= 500 ? `The server failed unexpectedly. Try again; if it persists, tell your administrator${
      incident ? ` the incident reference ${incident}` : ' the time it happened'}.`
      : e.status === 403 ? 'You are not allowed to do this.'
        : e.status === 404 ? 'Not found.'
          : e.status === 400 ? 'The request was not accepted.' : `The server answered ${e.status}.`);
  return code ? `${sentence} (${code})` : sentence;
}

function problem(text: string): HTMLElement {
  return h('p', { class: 'error', role: 'alert' }, text);
}

/**
 * Offered when the API refuses a patient outside the clinician's care team. First resolves whom it would open
 * (GET api/break-glass/preview: a patient registered at the clinician's own institution — name, birth date, sex);
 * only then asks for the mandatory reason (POST api/break-glass), audited by the server. For an id not registered
 * at the institution (none, or held only elsewhere: the same answer) it says so and offers nothing.
 */
export function breakGlassPanel(ctx: AppContext, patientId: string, cause: ApiError, onGranted: () => void):
  HTMLElement {
  const body = h('div', { class: 'bg-body', 'aria-busy': 'true' },
    h('p', { class: 'muted' }, 'Looking up whom this would open\u2026'));
  const title = h('h2', { id: 'bg-title' }, 'You have no access to this patient\u2019s record');
  const intro = h('p', null, cause.status === 403 ? 'The patient is not under the care of your team, and has not '
    + 'shared their record with you.' : 'This record is not available to you.');
  const section = h('section', { class: 'card break-glass', role: 'region', 'aria-labelledby': 'bg-title' },
    title, intro, body);

  void ctx.api.get<BreakGlassPreview>(`api/break-glass/preview?patient=${encodeURIComponent(patientId)}`)
    .then(preview => mount(body, whom(ctx, preview), reasonForm(ctx, patientId, onGranted)))
    .catch(e => {
      if (e instanceof ApiError && e.code === NOT_REGISTERED) {
        title.textContent = 'No patient to open';
        intro.remove();
        mount(body, h('p', { class: 'notice', role: 'status', 'data-bg': 'not-registered' }, explainError(e)));
      } else {
        mount(body, problem(explainError(e)));
      }
    })
    .finally(() => body.removeAttribute('aria-busy'));
  return section;
}

function whom(ctx: AppContext, p: BreakGlassPreview): HTMLElement {
  return h('div', { class: 'bg-whom', 'data-bg': 'whom' },
    h('p', null, 'In an emergency you may break the glass for:'),
    h('p', { class: 'bg-patient' }, h('strong', null, p.name ?? '(no name)'), ' · ',
      demographics({ gender: p.gender as never, birthDate: p.birthDate }),
      p.institution ? h('span', { class: 'muted' }, ` · registered at ${institutionLabel(ctx, p.institution)}`) : null),
    h('p', { class: 'muted' }, 'You get access for a limited time; every access is audited, shown to the patient '
      + 'and reviewed by your institution. Make sure this is the right person.'));
}

function reasonForm(ctx: AppContext, patientId: string, onGranted: () => void): HTMLElement {
  const reason = h('textarea', { id: 'bg-reason', name: 'reason', rows: '3', required: true,
    'aria-describedby': 'bg-hint' });
  const feedback = h('div', { 'aria-live': 'assertive' });
  const submit = h('button', { type: 'submit', class: 'danger' }, 'Break the glass');

  async function request(): Promise<void> {
    const invalid = validateReason(reason.value);
    if (invalid) {
      reason.setAttribute('aria-invalid', 'true');
      mount(feedback, problem(invalid));
      reason.focus();
      return;
    }
    reason.removeAttribute('aria-invalid');
    submit.disabled = true;
    try {
      const granted = await ctx.api.post<{ expires: string }>('api/break-glass',
        { patient: `Patient/${patientId}`, reason: reason.value.trim() });
      ctx.breakGlass.activate(patientId, granted.expires, reason.value.trim());
      onGranted();
    } catch (e) {
      mount(feedback, problem(explainError(e)));
    } finally {
      submit.disabled = false;
    }
  }

  return h('form', { class: 'break-glass-form', novalidate: true, onsubmit: (e: Event) => {
    e.preventDefault();
    void request();
  } },
  h('label', { for: 'bg-reason' }, 'Reason for emergency access'),
  h('span', { class: 'hint', id: 'bg-hint' }, 'Mandatory. It is stored in the audit trail, shown to the patient and '
    + 'reviewed by your institution.'),
  reason, feedback, h('div', { class: 'actions' }, submit));
}

export function breakGlassBanner(ctx: AppContext, patientId: string): HTMLElement | null {
  const active = ctx.breakGlass.active(patientId);
  if (!active) return null;
  return h('div', { class: 'bg-banner', role: 'status' },
    h('strong', null, 'Break-the-glass access active'),
    ` until ${formatDateTime(active.expiresAt)} · reason: \u201c${active.reason}\u201d · every access is audited`);
}
