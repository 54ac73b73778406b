import type { AppContext } from '../context';
import { h, mount } from '../dom';
import { ACTIONS, ACTION_WORDS, OUTCOMES, actorLabel, auditQuery, patientLabel, describeVerification, shortTime, validateAuditFilters,
  type AuditFilters, type AuditPage, type ChainVerification } from '../admin-model';
import { AdminForm } from './admin-form';
import { nameCell } from './admin-breakglass';

/**
 * Audit-trail search (issue #8): by user, patient, action, outcome and date range, newest first, 50 a page
 * ("Older entries" continues). Tenant admins see their institution's entries, platform admins the platform-level
 * ones (failed logins). Searching is itself audited. Platform admins also verify the whole hash chain here
 * (POST api/audit-events/verification, the same check as ./meridian audit-verify, itself audited).
 */
export function renderAuditSearch(ctx: AppContext, outlet: HTMLElement): void {
  const form = new AdminForm();
  const user = h('input', { type: 'text', autocomplete: 'off' });
  const patient = h('input', { type: 'text', autocomplete: 'off', placeholder: 'Patient/…' });
  const action = h('select', null, h('option', { value: '' }, 'any'),
    Object.entries(ACTIONS).map(([v, l]) => h('option', { value: v }, l)));
  const outcome = h('select', null, h('option', { value: '' }, 'any'),
    Object.entries(OUTCOMES).map(([v, l]) => h('option', { value: v }, l)));
  const from = h('input', { type: 'date' });
  const to = h('input', { type: 'date' });
  const results = h('div', { 'aria-live': 'polite' });
  const body = h('tbody');
  const more = h('button', { type: 'button', hidden: true }, 'Older entries');
  let filters: AuditFilters | undefined;
  let next: number | undefined;
  let shown = 0;

  mount(outlet, h('section', { class: 'page admin' }, h('h1', { tabindex: '-1' }, 'Audit trail'),
    ctx.user.roles.includes('platform-admin') ? chainPanel(ctx) : '',
    h('p', { class: 'muted' }, ctx.user.roles.includes('tenant-admin')
      ? 'Every access to your institution’s records, and everything its staff did. Newest first.'
      : 'Platform-level entries (no institution, no patient), e.g. failed sign-ins. Newest first.'),
    h('form', { class: 'search-form audit-filter', 'aria-label': 'Filter the audit trail', onsubmit: (e: Event) => {
      e.preventDefault();
      const f: AuditFilters = { user: user.value, patient: patient.value, action: action.value,
        outcome: outcome.value, from: from.value, to: to.value };
      if (!form.show(validateAuditFilters(f))) return;
      filters = f;
      next = undefined;
      shown = 0;
      mount(body);
      void page();
    } },
    form.field('user', 'User', user, 'Username or subject'), form.field('patient', 'Patient', patient),
    form.field('action', 'Action', action), form.field('outcome', 'Outcome', outcome),
    form.field('from', 'From', from), form.field('to', 'To (inclusive)', to),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, 'Search'))),
    form.general, results,
    h('table', { class: 'grid compact audit reflow', id: 'audit-results' },
      h('caption', { class: 'visually-hidden' }, 'Audit entries'),
      h('thead', null, h('tr', null, ['#', 'When (UTC)', 'User', 'Action', 'Interaction', 'Resource', 'Patient',
        'Outcome', 'Purpose', 'Detail'].map(t => h('th', { scope: 'col' }, t)))), body),
    h('div', { class: 'more' }, more)));

  more.addEventListener('click', () => void page());

  async function page(): Promise<void> {
    if (!filters) return;
    try {
      const p = await ctx.api.get<AuditPage>(`api/audit-events?${auditQuery(filters, next)}`);
      shown += p.entries.length;
      next = p.next ?? undefined;
      body.append(...p.entries.map(e => h('tr', { 'data-seq': e.seq, class: e.outcome === '0' ? '' : 'refused' },
        h('td', { class: 'mono muted', 'data-label': '#' }, e.seq),
        h('td', { class: 'nowrap', 'data-label': 'When' }, shortTime(e.recorded)),
        h('td', { class: 'who', 'data-label': 'User' }, nameCell(actorLabel(e))),
        h('td', { class: 'action', title: ACTIONS[e.action] ?? e.action, 'data-label': 'Action' },
          ACTION_WORDS[e.action] ?? e.action),
        h('td', { 'data-label': 'Interaction' }, e.interaction),
        h('td', { class: 'mono', 'data-label': 'Resource' }, e.resource ?? ''),
        h('td', { class: 'patient', 'data-label': 'Patient' },
          nameCell(patientLabel(e.patientName, e.patient) ?? { name: '' })),
        h('td', { 'data-label': 'Outcome' }, h('span', { class: `badge ${e.outcome === '0' ? 'allowed' : 'refused'}` },
          OUTCOMES[e.outcome] ?? e.outcome)),
        h('td', { 'data-label': 'Purpose' }, e.purpose ?? ''),
        h('td', { class: 'detail', 'data-label': 'Detail' }, e.detail ?? ''))));
      more.hidden = next === undefined;
      mount(results, h('p', { class: 'status', role: 'status' }, shown === 0 ? 'No entries match.'
        : `${shown} entries shown${next === undefined ? '' : ' (more are older)'}.`));
    } catch (e) {
      form.failed(e);
    }
  }
}

/** Platform admins: recompute the whole hash chain on demand and show the verdict. */
function chainPanel(ctx: AppContext): HTMLElement {
  const verdict = h('div', { 'aria-live': 'polite', id: 'chain-verdict' });
  const run = h('button', { type: 'button' }, 'Verify the hash chain now');
  run.addEventListener('click', async () => {
    run.disabled = true;
    mount(verdict, h('p', { class: 'status' }, 'Recomputing every audit event’s hash…'));
    try {
      const v = await ctx.api.post<ChainVerification>('api/audit-events/verification', {});
      mount(verdict, h('p', { class: v.intact ? 'status chain-ok' : 'error chain-broken', role: 'status' },
        h('span', { class: `badge ${v.intact ? 'allowed' : 'refused'}` }, v.intact ? 'Intact' : 'Broken'), ' ',
        describeVerification(v)));
    } catch (e) {
      mount(verdict, h('p', { class: 'error', role: 'alert' },
        `The verification could not run: ${e instanceof Error ? e.message : String(e)}`));
    } finally {
      run.disabled = false;
    }
  });
  return h('section', { class: 'chain', 'aria-label': 'Hash chain integrity' },
    h('h2', null, 'Hash chain integrity'),
    h('p', { class: 'muted' }, 'Every audit event is chained to the one before it by a SHA-256 hash. Recomputing the '
      + 'chain shows whether any event was altered, removed or reordered since it was written.'),
    h('div', { class: 'actions' }, run), verdict);
}
