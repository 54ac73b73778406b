import { ApiError, type Query } from '../api';
import { institutionLabel, type AppContext } from '../context';
import { field, h, mount } from '../dom';
import { ageOn, custodianOf, effectiveOf, formatDate, humanName, resources, type Bundle, type Patient,
  type Resource } from '../fhir';
import { identifierText, localToday } from './patient-banner';

export interface PatientSearch {
  name?: string;
  identifier?: string;
  birthdate?: string;
}

/** The FHIR search parameters for the form: identifier as system|value (a bare value matches any system). */
export function patientQuery(search: PatientSearch): Query {
  return {
    name: search.name?.trim() || undefined,
    identifier: search.identifier?.trim() || undefined,
    birthdate: search.birthdate || undefined,
    _sort: 'family,given',
    _count: PAGE,
  };
}

/** Patients per page of "My patients". */
export const PAGE = 50;

/** "64 patients", "Showing 50 of 64 patients": the server's total, never the length of the first page. */
export function countText(shown: number, total: number | undefined): string {
  const all = total ?? shown;
  if (all === 0) return 'No patients match.';
  const noun = `patient${all === 1 ? '' : 's'}`;
  return shown < all ? `Showing ${shown} of ${all} ${noun}` : `${all} ${noun}`;
}

/** The next page link of a search Bundle, as a path relative to the app ("fhir?_getpages=…"). */
export function nextPage(bundle: Bundle | undefined): string | undefined {
  const url = bundle?.link?.find(l => l.relation === 'next')?.url;
  if (!url) return undefined;
  const m = /(?:^|\/)(fhir(?:[/?].*)?)$/.exec(url);
  return m ? m[1] : url;
}

/** The medical record number (identifier type MR) if there is one, else the first identifier. */
export function mrnOf(p: Patient): string {
  const ids = (p.identifier ?? []).filter(i => i.value);
  const mr = ids.find(i => i.type?.coding?.some(c => c.code === 'MR'));
  return mr ? mr.value ?? '' : ids[0] ? identifierText(ids[0]) : '';
}

/** A patient held by another institution than the clinician's (shared by a grant, or cross-institution). */
export function sharedFrom(patient: Patient, myTenant: string | undefined): string | undefined {
  const custodian = custodianOf(patient);
  return custodian && custodian !== myTenant ? custodian : undefined;
}

/** "My patients": search by name, identifier or birth date; shared patients are marked with their institution. */
export function renderPatients(ctx: AppContext, outlet: HTMLElement, initial: PatientSearch = {}): void {
  const name = h('input', { type: 'search', name: 'name', autocomplete: 'off', value: initial.name ?? '' });
  const identifier = h('input', { type: 'search', name: 'identifier', autocomplete: 'off',
    value: initial.identifier ?? '' });
  const birthdate = h('input', { type: 'date', name: 'birthdate', value: initial.birthdate ?? '' });
  const status = h('p', { class: 'status', role: 'status' });
  const results = h('div', { class: 'results' });

  const more = h('button', { type: 'button', class: 'more', hidden: true, onclick: () => void run(next) },
    'Show more patients');
  let generation = 0;
  let shown = 0;
  let next: string | undefined;
  let body: HTMLElement | undefined;
  async function run(page?: string): Promise<void> {
    const search = { name: name.value, identifier: identifier.value, birthdate: birthdate.value };
    const mine = page ? generation : ++generation;
    status.textContent = page ? 'Loading more…' : 'Searching…';
    if (!page) {
      results.replaceChildren();
      shown = 0;
      body = undefined;
    }
    more.hidden = true;
    results.setAttribute('aria-busy', 'true');
    try {
      const bundle = page ? await ctx.api.request<Bundle<Patient>>('GET', page, undefined, 'application/fhir+json')
        : await ctx.api.search<Patient>('Patient', patientQuery(search));
      if (mine !== generation) return; // a newer search is under way: its answer wins
      const patients = resources(bundle);
      shown += patients.length;
      next = nextPage(bundle);
      status.textContent = countText(shown, bundle.total ?? (next ? undefined : shown));
      if (patients.length && !body) {
        body = h('tbody');
        mount(results, patientTable(body));
      }
      const rows = patients.map(p => patientRow(ctx, p));
      body?.append(...rows);
      more.hidden = !next;
      void fillLastVisits(ctx, patients, rows, () => mine !== generation);
    } catch (e) {
      if (mine !== generation) return;
      status.textContent = '';
      results.append(errorBox(e));
    } finally {
      if (mine === generation) results.removeAttribute('aria-busy');
    }
  }

  const form = h('form', { class: 'search-form', role: 'search', 'aria-label': 'Find a patient',
    onsubmit: (e: Event) => { e.preventDefault(); void run(); } },
    field('Name', name, 'family or given name, start of a word'),
    field('Identifier', identifier, 'system|value, or a value'),
    field('Birth date', birthdate),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, 'Search')));

  mount(outlet, h('section', { class: 'page patients' },
    h('h1', null, 'My patients'), form, status, results, more));
  name.focus();
  void run();
}

function patientTable(body: HTMLElement): HTMLElement {
  return h('table', { class: 'grid patient-list reflow' },
    h('caption', { class: 'visually-hidden' }, 'Patients, by name'),
    h('thead', null, h('tr', null, ['Name', 'Born', 'Age', 'Sex', 'MRN', 'Last visit', 'Institution'].map(t =>
      h('th', { scope: 'col' }, t)))),
    body);
}

/** The newest encounter of each shown patient, filled in after the list is on screen (four requests at a time). */
async function fillLastVisits(ctx: AppContext, patients: Patient[], rows: HTMLElement[], stale: () => boolean):
  Promise<void> {
  let i = 0;
  const worker = async () => {
    while (i < patients.length && !stale()) {
      const k = i++;
      const cell = rows[k].querySelector<HTMLElement>('td.last-visit')!;
      try {
        const b = await ctx.api.search<Resource>('Encounter', { patient: patients[k].id, _sort: '-date', _count: 1 });
        const last = resources(b)[0];
        cell.textContent = last ? formatDate(effectiveOf(last) ?? periodStart(last)) || '—' : 'none';
      } catch {
        cell.textContent = '—';
      }
    }
  };
  await Promise.all([worker(), worker(), worker(), worker()]);
}

function periodStart(r: Resource): string | undefined {
  return (r.period as { start?: string } | undefined)?.start;
}

function patientRow(ctx: AppContext, p: Patient): HTMLElement {
  const shared = sharedFrom(p, ctx.user.tenant);
  const custodian = custodianOf(p);
  const age = ageOn(p.birthDate, localToday());
  return h('tr', { 'data-patient': p.id ?? '' },
    h('th', { scope: 'row' }, h('a', { href: `#/patients/${encodeURIComponent(p.id ?? '')}` }, humanName(p))),
    h('td', { class: 'nowrap', 'data-label': 'Born' }, p.birthDate ?? ''),
    h('td', { class: 'age', 'data-label': 'Age' }, age === undefined ? '' : `${age} y`),
    h('td', { 'data-label': 'Sex' }, p.gender ?? ''),
    h('td', { class: 'ids mrn', 'data-label': 'MRN' }, mrnOf(p)),
    h('td', { class: 'last-visit nowrap', 'data-label': 'Last visit' }, '…'),
    h('td', { 'data-label': 'Institution' }, shared
      ? h('span', { class: 'badge shared', title: 'Held by another institution and shared with you' },
        `Shared · ${institutionLabel(ctx, shared)}`)
      : custodian ? institutionLabel(ctx, custodian) : ''));
}

export function errorBox(e: unknown): HTMLElement {
  const messages = e instanceof ApiError ? e.messages : [e instanceof Error ? e.message : String(e)];
  const title = e instanceof ApiError ? `The server refused (${e.status})` : 'Something went wrong';
  return h('div', { class: 'error', role: 'alert' }, h('strong', null, title),
    h('ul', null, messages.map(m => h('li', null, m))));
}
