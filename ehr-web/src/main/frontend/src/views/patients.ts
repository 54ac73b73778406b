import { ApiError, type Query } from '../api';
import { institutionLabel, type AppContext } from '../context';
import { field, h, mount } from '../dom';
import { custodianOf, humanName, resources, type Patient } from '../fhir';

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
    _count: 50,
  };
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

  let generation = 0;
  async function run(): Promise<void> {
    const search = { name: name.value, identifier: identifier.value, birthdate: birthdate.value };
    const mine = ++generation;
    status.textContent = 'Searching…';
    results.replaceChildren();
    results.setAttribute('aria-busy', 'true');
    try {
      const bundle = await ctx.api.search<Patient>('Patient', patientQuery(search));
      if (mine !== generation) return; // a newer search is under way: its answer wins
      const patients = resources(bundle);
      status.textContent = patients.length === 0 ? 'No patients match.'
        : `${patients.length} patient${patients.length === 1 ? '' : 's'}`;
      mount(results, patients.length ? patientTable(ctx, patients) : null);
    } catch (e) {
      if (mine !== generation) return;
      status.textContent = '';
      mount(results, errorBox(e));
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
    h('h1', null, 'My patients'), form, status, results));
  name.focus();
  void run();
}

function patientTable(ctx: AppContext, patients: Patient[]): HTMLElement {
  return h('table', { class: 'grid' },
    h('caption', { class: 'visually-hidden' }, 'Patients'),
    h('thead', null, h('tr', null,
      h('th', { scope: 'col' }, 'Name'), h('th', { scope: 'col' }, 'Born'), h('th', { scope: 'col' }, 'Sex'),
      h('th', { scope: 'col' }, 'Identifiers'), h('th', { scope: 'col' }, 'Institution'))),
    h('tbody', null, patients.map(p => patientRow(ctx, p))));
}

function patientRow(ctx: AppContext, p: Patient): HTMLElement {
  const shared = sharedFrom(p, ctx.user.tenant);
  const custodian = custodianOf(p);
  return h('tr', { 'data-patient': p.id ?? '' },
    h('th', { scope: 'row' }, h('a', { href: `#/patients/${encodeURIComponent(p.id ?? '')}` }, humanName(p))),
    h('td', null, p.birthDate ?? ''),
    h('td', null, p.gender ?? ''),
    h('td', { class: 'ids' }, (p.identifier ?? []).slice(0, 3).map(i => h('span', { class: 'id' }, i.value ?? ''))),
    h('td', null, shared
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
