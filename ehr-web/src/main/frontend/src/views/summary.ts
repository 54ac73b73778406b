import { ApiError, type Api } from '../api';
import { trendChart } from '../charts';
import { h, mount } from '../dom';
import { codeText, effectiveOf, formatDate, LOINC, observationValueText, resources, type Observation,
  type Resource } from '../fhir';
import { lastVitals, trendCandidates, type TrendCandidate } from '../trends';
import { documentRow, medicationLists, problemLists, type DocumentRow, type ListRow } from '../chart-lists';

const ACTIVE = ['active', 'recurrence', 'relapse'];

function clinicalStatus(r: Resource): string | undefined {
  return (r.clinicalStatus as { coding?: { code?: string }[] } | undefined)?.coding?.[0]?.code;
}

/**
 * Active problems: asks the server to filter (clinical-status=active); a server that does not support the
 * parameter answers 400, and then the app filters the patient's conditions itself.
 */
export async function activeProblems(api: Api, patientId: string): Promise<Resource[]> {
  try {
    return resources(await api.search('Condition', { patient: patientId, 'clinical-status': 'active', _count: 100 }));
  } catch (e) {
    if (!(e instanceof ApiError) || e.status !== 400) throw e;
    const all = resources(await api.search('Condition', { patient: patientId, _count: 200 }));
    return all.filter(c => ACTIVE.includes(clinicalStatus(c) ?? 'active'));
  }
}

/** Every medication order of the patient (active and stopped: the list separates them). */
export async function medicationOrders(api: Api, patientId: string): Promise<Resource[]> {
  return resources(await api.search('MedicationRequest', { patient: patientId, _count: 200 }));
}

export async function allergies(api: Api, patientId: string): Promise<Resource[]> {
  return resources(await api.search('AllergyIntolerance', { patient: patientId, _count: 100 }))
    .filter(a => clinicalStatus(a) !== 'resolved' && clinicalStatus(a) !== 'inactive');
}

export async function vitalSigns(api: Api, patientId: string): Promise<Observation[]> {
  return resources(await api.search<Observation>('Observation',
    { patient: patientId, category: 'vital-signs', _count: 200 }));
}

export async function trendObservations(api: Api, patientId: string, code: string,
                                        system = LOINC): Promise<Observation[]> {
  return resources(await api.search<Observation>('Observation',
    { patient: patientId, code: `${system}|${code}`, _count: 200 }));
}

/** The patient's newest documents (notes, letters, reports with text): the summary's document list. */
export async function documents(api: Api, patientId: string): Promise<Resource[]> {
  return resources(await api.search('DocumentReference', { patient: patientId, _sort: '-date', _count: 10 }));
}

/** The patient's newest results (up to 200), from which the trends on offer are chosen. */
export async function recentResults(api: Api, patientId: string): Promise<Observation[]> {
  return resources(await api.search<Observation>('Observation', { patient: patientId, _sort: '-date', _count: 200 }));
}

/** How many trends the summary opens with: the patient's most frequent (then most recent) numeric results. */
export const TRENDS_SHOWN = 3;

type Link = (r: Resource) => string;

function card(title: string, key: string, body: HTMLElement): HTMLElement {
  return h('section', { class: 'card', 'data-summary': key, 'aria-labelledby': `sum-${key}` },
    h('h2', { id: `sum-${key}` }, title), body);
}

function list<T extends Resource>(items: T[], empty: string, link: Link, text: (r: T) => string,
                                  meta: (r: T) => string): HTMLElement {
  if (!items.length) return h('p', { class: 'muted' }, empty);
  return h('ul', { class: 'plain' }, items.map(r => h('li', null,
    h('a', { href: link(r) }, text(r)), ' ', h('span', { class: 'muted' }, meta(r)))));
}

/** Rows with a title (linked to the entry), a detail (dose and instructions) and context (dates, status). */
function rows(items: ListRow[], empty: string, link: Link, cls = ''): HTMLElement {
  if (!items.length) return h('p', { class: 'muted' }, empty);
  return h('ul', { class: `plain rows ${cls}`.trim() }, items.map(r => h('li', null,
    h('a', { href: link(r.resource) }, r.title),
    r.detail ? h('span', { class: 'row-detail' }, ` — ${r.detail}`) : '',
    r.meta ? h('span', { class: 'muted row-meta' }, r.meta) : '')));
}

/** The document list: a note entered in error stays listed, struck through with its marker (ADR 0030). */
function documentList(items: DocumentRow[], link: Link): HTMLElement {
  if (!items.length) return h('p', { class: 'muted' }, 'No documents recorded.');
  return h('ul', { class: 'plain documents' }, items.map(r => h('li', {
    class: r.enteredInError ? 'entered-in-error' : null, 'data-entry': `DocumentReference/${r.resource.id}` },
  h('a', { class: 'title', href: link(r.resource) }, r.title), ' ',
  r.enteredInError ? h('span', { class: 'eie-badge' }, 'Entered in error') : '', r.enteredInError ? ' ' : '',
  h('span', { class: 'muted' }, r.meta))));
}

function more(label: string, items: ListRow[], link: Link, key: string): HTMLElement | null {
  if (!items.length) return null;
  return h('details', { class: 'more-rows', 'data-rows': key }, h('summary', null, `${label} (${items.length})`),
    rows(items, '', link));
}

function failed(e: unknown): HTMLElement {
  const denied = e instanceof ApiError && e.denied;
  return h('p', { class: 'muted' }, denied ? 'Not available to you.' : `Could not load (${e instanceof Error ? e.message : e}).`);
}

async function fill<T>(target: HTMLElement, load: Promise<T>, render: (value: T) => HTMLElement): Promise<void> {
  try {
    mount(target, render(await load));
  } catch (e) {
    mount(target, failed(e));
  } finally {
    target.removeAttribute('aria-busy');
  }
}

function pending(): HTMLElement {
  return h('div', { 'aria-busy': 'true' }, h('p', { class: 'muted' }, 'Loading…'));
}

/** The summary header: active problems, current medications, allergies, last vitals, and the trend charts. */
/**
 * The summary header. Its requests start once {@code after} settles: the chart passes the timeline's first page,
 * so on a busy server the timeline is not queued behind the summary's seven searches (issue #6 measures the time
 * to the first timeline paint; the cards show their loading state for that moment).
 */
export function renderSummary(api: Api, patientId: string, link: Link,
  after: Promise<unknown> = Promise.resolve(), own?: string,
  holderName: (tenant: string | undefined) => string | undefined = t => t): HTMLElement {
  const go = <T>(load: () => Promise<T>): Promise<T> => after.then(load, load);
  const problems = pending();
  const meds = pending();
  const allergy = pending();
  const vitals = pending();
  const trends = h('div', { class: 'trends' });
  const docs = pending();
  void fill(docs, go(() => documents(api, patientId)), items => documentList(items.map(documentRow), link));
  void fill(problems, go(() => activeProblems(api, patientId)), items => {
    const lists = problemLists(items);
    return h('div', null, rows(lists.problems, 'No active problems recorded.', link, 'problems'),
      more('Social history and situations', lists.social, link, 'social'));
  });
  void fill(meds, go(() => medicationOrders(api, patientId)), items => {
    const lists = medicationLists(items);
    return h('div', null, rows(lists.active, 'No active medication orders.', link, 'active-meds'),
      more('Stopped or completed', lists.stopped, link, 'stopped'));
  });
  void fill(allergy, go(() => allergies(api, patientId)), items => list(items, 'No known allergies recorded.', link,
    r => codeText(r.code as never) || 'allergy', r => String(r.criticality ?? '')));
  void fill(vitals, go(() => vitalSigns(api, patientId)), obs => list(lastVitals(obs).slice(0, 6), 'No vitals recorded.', link,
    o => `${codeText(o.code)}: ${observationValueText(o)}`, o => formatDate(effectiveOf(o))));
  const picker = h('div', { class: 'trend-picker' });
  void go(() => recentResults(api, patientId)).then(obs => {
    const candidates = trendCandidates(obs);
    if (!candidates.length) {
      mount(trends, h('p', { class: 'muted' }, 'No numeric results recorded.'));
      return;
    }
    const shown = new Set<string>();
    const key = (c: TrendCandidate) => `${c.spec.system ?? ''}|${c.spec.code}`;
    const select = h('select', { id: 'trend-add' });
    const refreshPicker = () => {
      const rest = candidates.filter(c => !shown.has(key(c)));
      mount(select, h('option', { value: '' }, rest.length ? 'Choose a result…' : 'All results shown'),
        rest.map(c => h('option', { value: key(c) }, `${c.spec.title} (${c.count} recent)`)));
      select.disabled = !rest.length;
    };
    const add = (c: TrendCandidate) => {
      shown.add(key(c));
      const slot = h('div', { class: 'trend-slot', 'data-trend-slot': c.spec.code },
        h('p', { class: 'muted' }, `${c.spec.title}…`));
      const remove = h('button', { type: 'button', class: 'link small trend-remove',
        'aria-label': `Remove the ${c.spec.title} trend`, onclick: () => {
          shown.delete(key(c));
          slot.remove();
          refreshPicker();
        } }, 'Remove');
      trends.appendChild(slot);
      void trendObservations(api, patientId, c.spec.code, c.spec.system)
        .then(all => mount(slot, trendChart(c.spec, all, Math.max(220, (slot.clientWidth || 300) - 4), own,
          holderName), remove))
        .catch(e => mount(slot, h('p', { class: 'muted' }, c.spec.title, ': '), failed(e)));
      refreshPicker();
    };
    select.addEventListener('change', () => {
      const c = candidates.find(x => key(x) === select.value);
      if (c) add(c);
    });
    mount(picker, h('label', { for: 'trend-add' }, 'Add a trend'), select);
    mount(trends);
    candidates.slice(0, TRENDS_SHOWN).forEach(add);
  }).catch(e => mount(trends, failed(e)));
  return h('div', { class: 'summary' },
    h('div', { class: 'cards' }, card('Active problems', 'problems', problems),
      card('Medications', 'medications', meds), card('Allergies', 'allergies', allergy),
      card('Last vitals', 'vitals', vitals), card('Documents', 'documents', docs)),
    h('section', { class: 'card trends-card', 'aria-labelledby': 'sum-trends' },
      h('div', { class: 'trends-head' }, h('h2', { id: 'sum-trends' }, 'Trends'), picker), trends));
}
