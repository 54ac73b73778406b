import type { AppContext } from '../context';
import { h, mount } from '../dom';
import { OUTCOMES, patientLabel, personLabel, reviewOrder, sessionState, shortTime, type AuditEntry, type BreakGlassSession } from '../admin-model';
import { flash } from './admin-form';
import { errorBox } from './patients';

const enc = encodeURIComponent;

/**
 * Break-the-glass review (issue #8): the institution's sessions (who, which patient, why, when, until when),
 * what was read during each (from the audit trail), and the admin's "reviewed" mark (stored and audited).
 */
export function renderBreakGlassReview(ctx: AppContext, outlet: HTMLElement): void {
  const status = h('div', { 'aria-live': 'polite' });
  const list = h('div', { 'aria-busy': 'true' });
  mount(outlet, h('section', { class: 'page admin' }, h('h1', { tabindex: '-1' }, 'Break-the-glass review'),
    h('p', { class: 'muted' }, 'Emergency access to patients outside a clinician’s care teams. Check each reason '
      + 'and what was read, then mark the session reviewed.'), status, list));

  async function load(): Promise<void> {
    try {
      const sessions = reviewOrder(await ctx.api.get<BreakGlassSession[]>('api/break-glass'));
      const open = sessions.filter(s => !s.reviewed).length;
      mount(list, h('p', { class: 'summary' }, `${sessions.length} session${sessions.length === 1 ? '' : 's'}, `
        + `${open} awaiting review.`),
        sessions.length ? table(sessions) : h('p', { class: 'muted' }, 'No break-the-glass sessions.'));
    } catch (e) {
      mount(list, errorBox(e));
    } finally {
      list.setAttribute('aria-busy', 'false');
    }
  }

  function table(sessions: BreakGlassSession[]): HTMLElement {
    return h('table', { class: 'grid bg-review reflow', id: 'break-glass-list' },
      h('caption', { class: 'visually-hidden' }, 'Break-the-glass sessions'),
      h('thead', null, h('tr', null, ['Clinician', 'Patient', 'Reason', 'Started', 'Until', 'Read during it',
        'Review'].map(t => h('th', { scope: 'col' }, t)))),
      h('tbody', null, sessions.flatMap(row)));
  }

  function row(s: BreakGlassSession): HTMLElement[] {
    const state = sessionState(s);
    const readsRow = h('tr', { class: 'reads', hidden: true }, h('td', { colspan: '7' }));
    const readsId = `reads-${s.id}`;
    readsRow.id = readsId;
    const toggle = h('button', { type: 'button', class: 'small', 'aria-expanded': 'false', 'aria-controls': readsId,
      onclick: () => void showReads(s, readsRow, toggle) }, 'Show');
    return [h('tr', { 'data-session': s.id, class: s.reviewed ? 'reviewed' : 'pending' },
      h('td', { class: 'who', 'data-label': 'Clinician' }, nameCell(personLabel(s.practitionerName, s.practitioner))),
      h('td', { class: 'patient', 'data-label': 'Patient' }, nameCell(patientLabel(s.patientName, s.patient) ?? { name: '' })),
      h('td', { class: 'reason', 'data-label': 'Reason' }, s.reason),
      h('td', { class: 'nowrap', 'data-label': 'Started' }, shortTime(s.started)),
      h('td', { class: 'nowrap', 'data-label': 'Until' }, shortTime(s.expires), ' ', h('span', { class: `badge ${state}` }, state)),
      h('td', { 'data-label': 'Read' }, toggle),
      h('td', { class: 'nowrap', 'data-label': 'Review' }, s.reviewed
        ? h('span', { class: 'badge valid' }, `Reviewed by ${s.reviewedByName ?? s.reviewedBy ?? '?'} ${shortTime(s.reviewed)}`)
        : h('button', { type: 'button', class: 'primary small', 'aria-label': `Mark the session of ${who(s)}`
          + ` on ${patientOf(s)} reviewed`, onclick: () => void review(s) }, 'Mark reviewed'))),
    readsRow];
  }

  async function showReads(s: BreakGlassSession, readsRow: HTMLElement, toggle: HTMLButtonElement): Promise<void> {
    const open = readsRow.hidden;
    readsRow.hidden = !open;
    toggle.setAttribute('aria-expanded', String(open));
    toggle.textContent = open ? 'Hide' : 'Show';
    if (!open) return;
    const cell = readsRow.firstElementChild as HTMLElement;
    mount(cell, h('p', { class: 'muted' }, 'Loading…'));
    try {
      const reads = await ctx.api.get<AuditEntry[]>(`api/break-glass/${enc(s.id)}/reads`);
      mount(cell, reads.length === 0 ? h('p', { class: 'muted' }, 'Nothing was read during this session.')
        : h('table', { class: 'grid compact' }, h('caption', null, `Read by ${who(s)} during the session`),
          h('thead', null, h('tr', null, ['When', 'What', 'Interaction', 'Outcome', 'Purpose'].map(t =>
            h('th', { scope: 'col' }, t)))),
          h('tbody', null, reads.map(r => h('tr', null, h('td', { class: 'nowrap' }, shortTime(r.recorded)),
            h('td', { class: 'mono' }, r.resource ?? r.patient ?? ''), h('td', null, r.interaction),
            h('td', null, OUTCOMES[r.outcome] ?? r.outcome), h('td', null, r.purpose ?? ''))))));
    } catch (e) {
      mount(cell, errorBox(e));
    }
  }

  async function review(s: BreakGlassSession): Promise<void> {
    try {
      await ctx.api.post(`api/break-glass/${enc(s.id)}/review`, {});
      flash(status, `The session of ${who(s)} on ${patientOf(s)} is marked reviewed.`);
      await load();
    } catch (e) {
      mount(status, errorBox(e));
    }
  }

  void load();
}

function patientOf(s: BreakGlassSession): string {
  return s.patientName ?? s.patient;
}

function who(s: BreakGlassSession): string {
  return s.practitionerName ?? s.practitioner;
}

export function nameCell(l: { name: string; id?: string }): (HTMLElement | string)[] {
  return [l.name, l.id ? h('span', { class: 'muted id' }, ` ${l.id}`) : ''];
}
