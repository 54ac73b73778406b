import type { AppContext } from '../context';
import { h, mount, field } from '../dom';
import { formatTime } from '../fhir';
import { LOG_KINDS, countLabel, groupAccesses, pageOf, validateLogFilter, type AccessGroup, type AccessRow,
  type LogFilter } from '../portal-model';
import { queryString } from '../api';
import { errorBox } from './patients';
import { checkProof, type AuditProof, type ProofOutcome } from '../ledger-proof';

/** Who accessed my record: every access by someone else, from the audit trail, in plain language, filterable. */
export function renderAccessLog(ctx: AppContext, outlet: HTMLElement, query: URLSearchParams): void {
  const f: LogFilter = { from: query.get('from') ?? '', to: query.get('to') ?? '', kind: query.get('kind') ?? '',
    who: query.get('who') ?? '' };
  const from = h('input', { id: 'log-from', type: 'date', value: f.from });
  const to = h('input', { id: 'log-to', type: 'date', value: f.to });
  const kind = h('select', { id: 'log-kind' }, LOG_KINDS.map(k => h('option', { value: k.value,
    selected: k.value === f.kind }, k.label)));
  const who = h('input', { id: 'log-who', type: 'search', value: f.who, placeholder: 'Name, institution or country' });
  const results = h('div', { 'aria-live': 'polite' });
  const form = h('form', { class: 'search-form log-filter', onsubmit: (e: Event) => {
    e.preventDefault();
    void load();
  } }, field('From', from), field('To', to), field('Kind', kind), field('Who', who),
  h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, 'Filter')));
  mount(outlet, h('section', { class: 'page portal' }, h('h1', { tabindex: '-1' }, 'Who accessed my record'),
    h('p', { class: 'muted' }, 'Every time someone else viewed, changed, exported or used emergency access to your '
      + 'record, at any institution, and every attempt that was refused.'), form, results));

  async function load(): Promise<void> {
    const filter: LogFilter = { from: from.value, to: to.value, kind: kind.value, who: who.value.trim() };
    const problem = validateLogFilter(filter);
    if (problem) {
      mount(results, h('p', { class: 'error', role: 'alert' }, problem));
      return;
    }
    mount(results, h('p', { class: 'muted', 'aria-busy': 'true' }, 'Loading…'));
    try {
      const rows = await ctx.api.get<AccessRow[]>(`api/me/access-log${queryString({ ...filter })}`);
      groups = groupAccesses(rows);
      showPage(0);
    } catch (e) {
      mount(results, errorBox(e));
    }
  }

  let groups: AccessGroup[] = [];
  function showPage(n: number): void {
    if (groups.length === 0) {
      mount(results, h('p', { class: 'muted' }, 'Nobody else accessed your record in this period.'));
      return;
    }
    const page = pageOf(groups, n, LOG_PAGE);
    const total = groups.reduce((sum, g) => sum + g.count, 0);
    mount(results,
      h('p', { class: 'summary', id: 'access-log-summary' }, `${countLabel(total)} access${total === 1 ? '' : 'es'}`
        + ` in ${countLabel(groups.length)} group${groups.length === 1 ? '' : 's'} (per person, day and kind); `
        + `showing ${page.label}.`),
      h('table', { class: 'grid reflow', id: 'access-log' }, h('caption', { class: 'visually-hidden' }, 'Accesses'),
        h('thead', null, h('tr', null, COLUMNS.map(t => h('th', { scope: 'col' }, t)))),
        h('tbody', null, page.items.map(groupRow))),
      page.pages > 1 ? pager(page.page, page.pages, showPage) : null);
    void showProofs(ctx, results, page.items);
  }
  void load();
}

/** Groups of accesses per page of the log. */
export const LOG_PAGE = 25;
const COLUMNS = ['When', 'Who', 'Where', 'What', 'Outcome', 'Why', 'Sealed'];

function groupRow(g: AccessGroup): HTMLElement {
  const cell = (i: number, ...content: Parameters<typeof h>[2][]) =>
    h('td', { 'data-label': COLUMNS[i] }, ...content);
  return h('tr', { class: g.kind === 'break-glass' ? 'glass' : g.refused ? 'refused' : '', 'data-count': String(g.count) },
    cell(0, h('span', { class: 'nowrap' }, g.day), ' ', h('span', { class: 'muted nowrap' }, timeSpan(g))),
    cell(1, h('strong', null, g.who), g.role ? ` (${g.role})` : '',
      g.app && g.app !== g.who ? h('span', { class: 'via-app' }, ` through the app “${g.app}”`) : ''),
    cell(2, g.institutionName ?? '', g.countryName ? `, ${g.countryName}` : ''),
    cell(3, g.whats.length === 1 && g.whats[0].count === 1 ? g.whats[0].what
      : h('ul', { class: 'plain whats' }, g.whats.map(w => h('li', null, w.what,
        w.count > 1 ? h('span', { class: 'times' }, ` × ${countLabel(w.count)}`) : '')))),
    cell(4, outcome(g.refused)),
    cell(5, g.purpose, g.reason ? h('span', { class: 'reason' }, ` — reason given: “${g.reason}”`) : ''),
    h('td', { class: 'seal', 'data-label': COLUMNS[6], 'data-seqs': g.seqs.join(' ') },
      h('span', { class: 'muted' }, 'Checking…')));
}

/** "09:10 (UTC)" for one access, "09:10–09:42 (UTC)" for a group. */
function timeSpan(g: AccessGroup): string {
  const from = formatTime(g.first);
  const to = formatTime(g.last);
  if (!from) return '';
  return from === to ? from : `${from.replace(/ \(.*\)$/, '')}–${to}`;
}

function pager(page: number, pages: number, show: (n: number) => void): HTMLElement {
  return h('nav', { class: 'pager', 'aria-label': 'Pages of the access log' },
    h('button', { type: 'button', disabled: page === 0, onclick: () => show(page - 1) }, '← Newer'),
    h('span', null, `Page ${page + 1} of ${pages}`),
    h('button', { type: 'button', disabled: page >= pages - 1, onclick: () => show(page + 1) }, 'Older →'));
}


const SEALS: Record<ProofOutcome, [string, string, string]> = {
  verified: ['badge seal-ok', '✓ Verified', 'This entry is in a signed audit batch: checked in your browser against '
    + 'the batch\'s signed root. Download the proof to check it again yourself.'],
  unchecked: ['badge seal-ok', 'Sealed', 'This entry is in a signed audit batch; this browser cannot check Ed25519 '
    + 'signatures: download the proof and check it offline.'],
  unsealed: ['badge seal-pending', 'Being sealed', 'This entry is recorded and will be in a signed audit batch within seconds.'],
  failed: ['badge seal-bad', '✗ Does not verify', 'The proof for this entry does not verify: the audit trail may '
    + 'have been altered. Download the proof and report it.'],
};

const SEVERITY: ProofOutcome[] = ['failed', 'unsealed', 'unchecked', 'verified'];

/**
 * Fetches the inclusion proofs of the shown groups' entries and marks each group with the least that the browser
 * could verify of its entries (one entry that does not verify marks the whole group).
 */
async function showProofs(ctx: AppContext, results: HTMLElement, groups: AccessGroup[]): Promise<void> {
  const seqs = groups.flatMap(g => g.seqs);
  const found = new Map<number, { proof: AuditProof; outcome: ProofOutcome }>();
  for (let i = 0; i < seqs.length; i += 100) {
    const chunk = seqs.slice(i, i + 100);
    try {
      const proofs = await ctx.api.get<AuditProof[]>(`api/me/access-log/proofs?${chunk.map(s => `seq=${s}`).join('&')}`);
      for (const p of proofs) found.set(p.seq, { proof: p, outcome: await checkProof(p) });
    } catch {
      continue;
    }
  }
  for (const g of groups) {
    const cell = results.querySelector<HTMLElement>(`td.seal[data-seqs="${g.seqs.join(' ')}"]`);
    const mine = g.seqs.map(s => found.get(s)).filter((x): x is { proof: AuditProof; outcome: ProofOutcome } => !!x);
    if (!cell || mine.length === 0) continue;
    const worst = SEVERITY.find(o => mine.some(m => m.outcome === o))!;
    const [cls, label, title] = SEALS[worst];
    const sealed = mine.filter(m => m.proof.sealed).map(m => m.proof);
    const link = sealed.length ? h('a', { href: URL.createObjectURL(new Blob([JSON.stringify(sealed.length === 1
      ? sealed[0] : sealed, null, 2)], { type: 'application/json' })),
    download: `audit-proof-${sealed[0].seq}${sealed.length > 1 ? `-and-${sealed.length - 1}-more` : ''}.json`,
    class: 'proof-link' }, sealed.length === 1 ? 'Proof' : `Proofs (${sealed.length})`) : '';
    mount(cell, h('span', { class: cls, title }, label), link ? ' ' : '', link);
  }
}

/** Refused attempts are shown as such: the person was turned away and saw nothing of the record. */
function outcome(refused: boolean): HTMLElement {
  return refused
    ? h('span', { class: 'badge refused', title: 'The access was refused: nothing of your record was shown' },
      'Refused — nothing shown')
    : h('span', { class: 'badge allowed' }, 'Allowed');
}
