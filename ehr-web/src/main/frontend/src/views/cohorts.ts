import type { AppContext } from '../context';
import { institutionLabel } from '../context';
import { field, h, mount, uid } from '../dom';
import { breakdownRows, COMPARATORS, CRITERION_TYPES, DIMENSION_LABELS, emptyResultNote, emptyRow, freshnessText,
  problems, toDefinition,
  type BuilderState, type CohortResult, type Published, type CriterionRow, type CriterionType } from '../cohort-model';
import { errorBox } from './patients';

interface SavedCohort {
  id: string;
  name: string;
  lastCount: Published | null;
  lastRunAt: string | null;
}

/** The last run of a saved cohort; its count is withheld from aggregate-only users (it was not guarded for them). */
function lastRun(c: SavedCohort): string {
  if (c.lastCount !== null) {
    return ` \u00b7 last count ${c.lastCount}`;
  }
  return c.lastRunAt === null ? ' \u00b7 not run yet' : ' \u00b7 run before (rerun to see its count)';
}

/**
 * The cohort builder (issue #8) for tenant admins, researchers and platform admins: criteria rows combined by
 * all/any (a row may be excluded), run (POST api/cohorts/count), results with suppressed breakdowns and the time
 * taken, save and rerun saved cohorts. Everything the server refuses is shown with its message.
 */
export function renderCohorts(ctx: AppContext, outlet: HTMLElement): void {
  const state: BuilderState = { match: 'and', indexDate: new Date().toISOString().slice(0, 10),
    rows: [emptyRow('condition')] };
  const rowsList = h('ol', { class: 'cohort-rows', 'aria-label': 'Criteria' });
  const results = h('section', { class: 'card cohort-results', 'aria-live': 'polite', 'aria-labelledby': 'cr-title' },
    h('h2', { id: 'cr-title' }, 'Result'), h('p', { class: 'notice' }, 'Run the cohort to see the count.'));
  const savedList = h('section', { class: 'card', 'aria-labelledby': 'cs-title' });
  const maySave = !!ctx.user.tenant;

  const matchSelect = h('select', { id: 'cohort-match', onchange: (e: Event) => {
    state.match = (e.target as HTMLSelectElement).value as 'and' | 'or';
  } }, h('option', { value: 'and' }, 'all criteria (AND)'), h('option', { value: 'or' }, 'any criterion (OR)'));
  const indexDate = h('input', { type: 'date', id: 'cohort-index', value: state.indexDate, onchange: (e: Event) => {
    state.indexDate = (e.target as HTMLInputElement).value;
  } });
  const name = h('input', { type: 'text', id: 'cohort-name', maxlength: '200' });
  const runButton = h('button', { type: 'submit', class: 'primary' }, 'Run');
  const saveButton = h('button', { type: 'button', onclick: () => void save(), disabled: !maySave }, 'Save');

  function redrawRows(): void {
    mount(rowsList, state.rows.map((r, i) => h('li', { class: 'cohort-row card' }, criterionEditor(r, i))));
  }

  function criterionEditor(r: CriterionRow, i: number): HTMLElement {
    const set = (key: keyof CriterionRow) => (e: Event) => {
      const t = e.target as HTMLInputElement;
      (r as unknown as Record<string, unknown>)[key] = t.type === 'checkbox' ? t.checked : t.value;
    };
    const type = h('select', { onchange: (e: Event) => {
      state.rows[i] = emptyRow((e.target as HTMLSelectElement).value as CriterionType);
      redrawRows();
    } }, CRITERION_TYPES.map(t => h('option', { value: t, selected: t === r.type }, t)));
    const parts: HTMLElement[] = [field(`Criterion ${i + 1} type`, type)];
    if (r.type === 'demographics') {
      parts.push(field('Gender', h('select', { onchange: set('gender') },
        ['', 'female', 'male', 'other', 'unknown'].map(g => h('option', { value: g, selected: g === r.gender },
          g || 'any')))));
      parts.push(field('Minimum age', h('input', { type: 'number', min: '0', max: '150', value: r.minAge,
        oninput: set('minAge') })));
      parts.push(field('Maximum age', h('input', { type: 'number', min: '0', max: '150', value: r.maxAge,
        oninput: set('maxAge') })));
    } else {
      parts.push(field('Codes (system|code, one per line)', h('textarea', { rows: '2', oninput: set('codes') },
        r.codes), r.type === 'encounter' ? 'Optional for encounters.' : undefined));
      parts.push(field('From', h('input', { type: 'date', value: r.from, onchange: set('from') })));
      parts.push(field('To (exclusive)', h('input', { type: 'date', value: r.to, onchange: set('to') })));
    }
    if (r.type === 'observation') {
      parts.push(field('Value', h('select', { onchange: set('comparator') },
        ['', ...COMPARATORS].map(c => h('option', { value: c, selected: c === r.comparator },
          c ? { gt: '>', ge: '\u2265', lt: '<', le: '\u2264', eq: '=' }[c] : 'any value')))));
      parts.push(field('Number', h('input', { type: 'number', step: 'any', value: r.value, oninput: set('value') })));
      parts.push(field('Unit', h('input', { type: 'text', value: r.unit, oninput: set('unit') })));
    }
    const excludeId = uid('excl');
    parts.push(h('div', { class: 'field' }, h('label', { for: excludeId },
      h('input', { type: 'checkbox', id: excludeId, checked: r.exclude, onchange: set('exclude') }),
      ' exclude (NOT)')));
    parts.push(h('button', { type: 'button', class: 'link', 'aria-label': `Remove criterion ${i + 1}`,
      onclick: () => {
        state.rows.splice(i, 1);
        redrawRows();
      } }, 'Remove'));
    return h('div', { class: 'cohort-criterion' }, parts);
  }

  async function run(): Promise<void> {
    const issues = problems(state);
    if (issues.length) {
      mount(results, h('h2', { id: 'cr-title' }, 'Result'),
        h('ul', { class: 'error', role: 'alert' }, issues.map(p => h('li', null, p))));
      return;
    }
    runButton.disabled = true;
    try {
      show(await ctx.api.post<CohortResult>('api/cohorts/count', toDefinition(state)));
    } catch (e) {
      mount(results, h('h2', { id: 'cr-title' }, 'Result'), errorBox(e));
    } finally {
      runButton.disabled = false;
    }
  }

  function show(result: CohortResult, title = 'Result'): void {
    const empty = emptyResultNote(result);
    const fresh = freshnessText(result.indexLagSeconds);
    mount(results, h('h2', { id: 'cr-title' }, title),
      h('p', { class: 'cohort-count' }, h('strong', { 'data-count': String(result.count) }, String(result.count)),
        ' persons', result.population === 'research-consented' ? ' (who consented to research use)' : '',
        h('span', { class: 'muted' }, ` \u00b7 ${result.tookMs} ms \u00b7 index date ${result.indexDate}`)),
      fresh ? h('p', { class: `freshness${(result.indexLagSeconds ?? 0) > 5 ? ' lagging' : ''}`, role: 'status' },
        fresh) : null,
      empty ? h('p', { class: 'notice empty-result' }, empty) : null,
      Object.keys(result.breakdowns).map(dim => h('table', { class: 'breakdown' },
        h('caption', null, DIMENSION_LABELS[dim] ?? dim),
        h('thead', null, h('tr', null, h('th', { scope: 'col' }, 'Group'), h('th', { scope: 'col' }, 'Persons'),
          h('th', { scope: 'col' }, 'Share'))),
        h('tbody', null, breakdownRows(result, dim).map(row => h('tr', null,
          h('th', { scope: 'row' }, dim === 'institution' ? institutionLabel(ctx, row.label) : row.label),
          h('td', null, row.value), h('td', null, row.share)))))),
      h('p', { class: 'hint' }, 'Counts from 1 to 4 are shown as <5. Where one hidden cell could be worked out '
        + 'from the total, a second cell is hidden with it and both are shown as "suppressed" (they may be 5 or '
        + 'more).'));
  }

  async function save(): Promise<void> {
    if (!name.value.trim()) {
      name.setAttribute('aria-invalid', 'true');
      mount(results, h('h2', { id: 'cr-title' }, 'Result'), h('p', { class: 'error', role: 'alert' },
        'Give the cohort a name to save it.'));
      name.focus();
      return;
    }
    name.removeAttribute('aria-invalid');
    try {
      await ctx.api.post('api/cohorts', toDefinition(state, name.value.trim()));
      await loadSaved();
    } catch (e) {
      mount(results, h('h2', { id: 'cr-title' }, 'Result'), errorBox(e));
    }
  }

  async function loadSaved(): Promise<void> {
    if (!maySave) {
      mount(savedList, h('h2', { id: 'cs-title' }, 'Saved cohorts'),
        h('p', { class: 'notice' }, 'Saved cohorts belong to an institution; your account has none.'));
      return;
    }
    try {
      const list = await ctx.api.get<SavedCohort[]>('api/cohorts');
      mount(savedList, h('h2', { id: 'cs-title' }, 'Saved cohorts'), list.length === 0
        ? h('p', { class: 'notice' }, 'No saved cohorts yet.')
        : h('ul', { class: 'saved-cohorts' }, list.map(c => h('li', null, h('span', { class: 'name' }, c.name),
          h('span', { class: 'muted' }, lastRun(c)),
          h('button', { type: 'button', class: 'link', onclick: () => void rerun(c) }, `Rerun ${c.name}`),
          h('button', { type: 'button', class: 'link', onclick: () => void exportGroup(c) },
            `Export ${c.name} as FHIR Group`)))));
    } catch (e) {
      mount(savedList, h('h2', { id: 'cs-title' }, 'Saved cohorts'), errorBox(e));
    }
  }

  /** The FHIR Group (with members for a tenant admin) as a downloaded JSON file; the API needs the bearer token. */
  async function exportGroup(c: SavedCohort): Promise<void> {
    try {
      const group = await ctx.api.request<unknown>('GET', `api/cohorts/${encodeURIComponent(c.id)}/group`, undefined,
        'application/fhir+json');
      const url = URL.createObjectURL(new Blob([JSON.stringify(group, null, 2)], { type: 'application/fhir+json' }));
      const link = h('a', { href: url, download: `cohort-${c.id}.json` });
      document.body.appendChild(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 1000);
    } catch (e) {
      mount(results, h('h2', { id: 'cr-title' }, 'Result'), errorBox(e));
    }
  }

  async function rerun(c: SavedCohort): Promise<void> {
    try {
      show(await ctx.api.post<CohortResult>(`api/cohorts/${encodeURIComponent(c.id)}/run`, {}), `Result: ${c.name}`);
      await loadSaved();
    } catch (e) {
      mount(results, h('h2', { id: 'cr-title' }, 'Result'), errorBox(e));
    }
  }

  redrawRows();
  mount(outlet, h('section', { class: 'page cohorts' },
    h('h1', null, 'Cohorts'),
    h('form', { class: 'cohort-builder', novalidate: true, 'aria-label': 'Cohort definition',
      onsubmit: (e: Event) => {
        e.preventDefault();
        void run();
      } },
    h('div', { class: 'cohort-top' }, field('Persons matching', matchSelect), field('Index date', indexDate,
      'Ages are computed at this date.')),
    rowsList,
    h('div', { class: 'actions' },
      h('button', { type: 'button', onclick: () => {
        state.rows.push(emptyRow('condition'));
        redrawRows();
      } }, 'Add criterion'),
      runButton, field('Name', name), saveButton)),
    results, savedList));
  void loadSaved();
}
