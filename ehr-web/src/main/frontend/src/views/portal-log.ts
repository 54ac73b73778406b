import type { AppContext } from '../context';
import { h, mount, field } from '../dom';
import { formatDateTime } from '../fhir';
import { LOG_KINDS, validateLogFilter, type LogFilter } from '../portal-model';
import { queryString } from '../api';
import { errorBox } from './patients';
import { checkProof, type AuditProof, type ProofOutcome } from '../ledger-proof';

interface Row {
  seq: number;
  when: string;
  who: string;
  role: string;
  institution: string | null;
  institutionName: string | null;
  country: string | null;
  countryName: string | null;
  kind: string;
  what: string;
  purpose: string;
  reason: string | null;
  refused: boolean;
}

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
      const rows = await ctx.api.get<Row[]>(`api/me/access-log${queryString({ ...filter })}`);
      mount(results, rows.length === 0 ? h('p', { class: 'muted' }, 'Nobody else accessed your record in this period.')
        : h('table', { class: 'grid', id: 'access-log' }, h('caption', { class: 'visually-hidden' }, 'Accesses'),
          h('thead', null, h('tr', null, ['When', 'Who', 'Where', 'What', 'Outcome', 'Why', 'Sealed'].map(t =>
            h('th', { scope: 'col' }, t)))),
          h('tbody', null, rows.map(r => h('tr', { class: r.kind === 'break-glass' ? 'glass' : r.refused ? 'refused' : '' },
            h('td', null, formatDateTime(r.when)),
            h('td', null, h('strong', null, r.who), r.role ? ` (${r.role})` : ''),
            h('td', null, r.institutionName ?? '', r.countryName ? `, ${r.countryName}` : ''),
            h('td', null, r.what),
            h('td', null, outcome(r)),
            h('td', null, r.purpose, r.reason ? h('span', { class: 'reason' }, ` — reason given: “${r.reason}”`) : ''),
            h('td', { class: 'seal', 'data-seq': String(r.seq) }, h('span', { class: 'muted' }, 'Checking…')))))));
      void showProofs(ctx, results, rows.map(r => r.seq));
    } catch (e) {
      mount(results, errorBox(e));
    }
  }
  void load();
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

/** Fetches the inclusion proofs of the shown entries and marks each row with what the browser could verify. */
async function showProofs(ctx: AppContext, results: HTMLElement, seqs: number[]): Promise<void> {
  for (let i = 0; i < seqs.length; i += 100) {
    const chunk = seqs.slice(i, i + 100);
    let proofs: AuditProof[];
    try {
      proofs = await ctx.api.get<AuditProof[]>(`api/me/access-log/proofs?${chunk.map(s => `seq=${s}`).join('&')}`);
    } catch {
      continue;
    }
    for (const p of proofs) {
      const cell = results.querySelector<HTMLElement>(`td.seal[data-seq="${p.seq}"]`);
      if (!cell) continue;
      const [cls, label, title] = SEALS[await checkProof(p)];
      const link = p.sealed ? h('a', { href: URL.createObjectURL(new Blob([JSON.stringify(p, null, 2)],
        { type: 'application/json' })), download: `audit-proof-${p.seq}.json`, class: 'proof-link' }, 'Proof') : '';
      mount(cell, h('span', { class: cls, title }, label), link ? ' ' : '', link);
    }
  }
}

/** Refused attempts are shown as such: the person was turned away and saw nothing of the record. */
function outcome(r: Row): HTMLElement {
  return r.refused
    ? h('span', { class: 'badge refused', title: 'The access was refused: nothing of your record was shown' },
      'Refused — nothing shown')
    : h('span', { class: 'badge allowed' }, 'Allowed');
}
