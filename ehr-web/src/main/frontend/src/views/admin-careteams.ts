import type { AppContext } from '../context';
import { institutionLabel } from '../context';
import { h, mount } from '../dom';
import { addedMessage, memberBody, patientLabel, personLabel, shortTime, validateMember, validatePatient, validateTeam,
  type Added, type CareTeam, type MemberDraft } from '../admin-model';
import { AdminForm, confirmButton, flash } from './admin-form';
import { errorBox } from './patients';
import { nameCell } from './admin-breakglass';

const enc = encodeURIComponent;

/**
 * Care teams of the tenant admin's institution (issue #8): each team with its members (possibly of other
 * institutions) and patients; create a team, add and remove members and patients. Removing a member ends the
 * membership now; from then on the team gives that practitioner no access to its patients.
 */
export function renderCareTeams(ctx: AppContext, outlet: HTMLElement): void {
  const status = h('div', { 'aria-live': 'polite' });
  const list = h('div', { class: 'teams', 'aria-busy': 'true' });
  mount(outlet, h('section', { class: 'page admin' },
    h('h1', { tabindex: '-1' }, 'Care teams'),
    h('p', { class: 'muted' }, `${institutionLabel(ctx, ctx.user.tenant)}: who cares for which patients. `
      + 'Members may come from other institutions; every change is audited.'),
    status, newTeamForm(), list));

  async function load(): Promise<CareTeam[]> {
    list.setAttribute('aria-busy', 'true');
    try {
      const teams = await ctx.api.get<CareTeam[]>('api/care-teams/overview');
      mount(list, teams.length ? teams.map(teamCard) : h('p', { class: 'muted' }, 'No care teams yet.'));
      return teams;
    } catch (e) {
      mount(list, errorBox(e));
      return [];
    } finally {
      list.setAttribute('aria-busy', 'false');
    }
  }

  /** A change, then the list reloaded; the message may name whom the reloaded list names (issue #20). */
  async function change(message: string | ((teams: CareTeam[]) => string), call: () => Promise<unknown>,
                        form?: AdminForm): Promise<boolean> {
    try {
      await call();
      if (typeof message === 'string') flash(status, message);
      const teams = await load();
      if (typeof message !== 'string') flash(status, message(teams));
      return true;
    } catch (e) {
      if (form) form.failed(e); else mount(status, errorBox(e));
      return false;
    }
  }

  function newTeamForm(): HTMLElement {
    const form = new AdminForm();
    const id = h('input', { type: 'text', maxlength: '64', autocomplete: 'off' });
    const name = h('input', { type: 'text', maxlength: '200', autocomplete: 'off' });
    return h('form', { class: 'admin-form inline-form', 'aria-label': 'New care team', onsubmit: (e: Event) => {
      e.preventDefault();
      const draft = { id: id.value.trim(), name: name.value.trim() };
      if (!form.show(validateTeam(draft))) return;
      void change(`Care team “${draft.name}” created.`, () => ctx.api.request('PUT', `api/care-teams/${enc(draft.id)}`,
        { name: draft.name }), form).then(ok => { if (ok) { id.value = ''; name.value = ''; } });
    } }, h('h2', null, 'New care team'), form.general,
    h('div', { class: 'row' }, form.field('id', 'Team id', id, 'Letters, digits, - and .'),
      form.field('name', 'Name', name), h('div', { class: 'actions' },
        h('button', { type: 'submit', class: 'primary' }, 'Create team'))));
  }

  function teamCard(team: CareTeam): HTMLElement {
    const headingId = `team-${team.id}-title`;
    return h('section', { class: 'card team', 'data-team': team.id, 'aria-labelledby': headingId },
      h('h2', { id: headingId, class: 'team-title' }, team.name, ' ', h('span', { class: 'muted id' }, team.id)),
      h('div', { class: 'team-columns' },
        h('div', null, h('h3', null, `Members (${team.members.length})`), membersTable(team), memberForm(team)),
        h('div', null, h('h3', null, `Patients (${team.patients.length})`), patientsTable(team), patientForm(team))));
  }

  function membersTable(team: CareTeam): HTMLElement {
    if (team.members.length === 0) return h('p', { class: 'muted' }, 'No members.');
    return h('table', { class: 'grid compact members' },
      h('caption', { class: 'visually-hidden' }, `Members of ${team.name}`),
      h('thead', null, h('tr', null, ['Practitioner', 'Institution', 'Role', 'Period', ''].map(t =>
        h('th', { scope: 'col' }, t)))),
      h('tbody', null, team.members.map(m => h('tr', { 'data-member': m.practitioner },
        h('td', { class: 'who' }, nameCell(personLabel(m.name, m.practitioner))),
        h('td', null, institutionLabel(ctx, m.institution)),
        h('td', null, m.role),
        h('td', { class: 'nowrap' }, `${shortTime(m.start).slice(0, 10)} – ${m.end ? shortTime(m.end).slice(0, 10) : 'open'}`),
        h('td', { class: 'actions' }, confirmButton('Remove', `Remove ${m.name ?? m.practitioner} from ${team.name}`,
          () => change(`${m.name ?? m.practitioner} removed from ${team.name}.`, () => ctx.api.request('DELETE',
            `api/care-teams/${enc(team.id)}/members/${enc(m.practitioner)}`).then(() => undefined))
            .then(() => undefined)))))));
  }

  function patientsTable(team: CareTeam): HTMLElement {
    if (team.patients.length === 0) return h('p', { class: 'muted' }, 'No patients.');
    return h('table', { class: 'grid compact patients' },
      h('caption', { class: 'visually-hidden' }, `Patients of ${team.name}`),
      h('thead', null, h('tr', null, ['Patient', 'Person', ''].map(t => h('th', { scope: 'col' }, t)))),
      h('tbody', null, team.patients.map(p => {
        const id = p.patient?.replace(/^Patient\//, '');
        const label = patientLabel(p.name, p.patient);
        const shown = p.name ?? p.patient;
        return h('tr', { 'data-patient': id ?? p.person },
          h('td', { class: 'patient' }, label ? nameCell(label) : h('span', { class: 'muted' }, 'no record here')),
          h('td', { class: 'mono muted' }, p.person),
          h('td', { class: 'actions' }, id ? confirmButton('Remove', `Remove ${shown} from ${team.name}`,
            () => change(`${shown} removed from ${team.name}.`, () => ctx.api.request('DELETE',
              `api/care-teams/${enc(team.id)}/patients/${enc(id)}`)).then(() => undefined)) : ''));
      })));
  }

  function memberForm(team: CareTeam): HTMLElement {
    const form = new AdminForm();
    const practitioner = h('input', { type: 'text', autocomplete: 'off', maxlength: '64' });
    const institution = h('select', null, [...ctx.institutions.values()].map(i =>
      h('option', { value: i.id, selected: i.id === ctx.user.tenant }, `${i.name} (${i.country})`)));
    if (ctx.institutions.size === 0 && ctx.user.tenant) {
      institution.append(h('option', { value: ctx.user.tenant }, ctx.user.tenant));
    }
    const role = h('select', null, h('option', { value: 'clinician' }, 'Clinician'),
      h('option', { value: 'nurse' }, 'Nurse'));
    const start = h('input', { type: 'date' });
    const end = h('input', { type: 'date' });
    return h('form', { class: 'admin-form add-member', 'aria-label': `Add a member to ${team.name}`,
      onsubmit: (e: Event) => {
        e.preventDefault();
        const draft: MemberDraft = { practitioner: practitioner.value, institution: institution.value,
          role: role.value, start: start.value, end: end.value };
        if (!form.show(validateMember(draft))) return;
        const added: Added = { practitioner: draft.practitioner.trim() };
        void change(teams => addedMessage(teams, team.id, added), () => ctx.api.post(
          `api/care-teams/${enc(team.id)}/members`, memberBody(draft)), form);
      } }, form.general,
    h('div', { class: 'row member-row' },
      form.field('practitioner', 'Practitioner id', practitioner),
      form.field('institution', 'Institution', institution),
      form.field('role', 'Role', role),
      form.field('start', 'From', start, 'Empty: now'),
      form.field('end', 'Until (last day)', end, 'Empty: open'),
      h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Add member'))));
  }

  function patientForm(team: CareTeam): HTMLElement {
    const form = new AdminForm();
    const patient = h('input', { type: 'text', autocomplete: 'off', placeholder: 'Patient/…' });
    return h('form', { class: 'admin-form add-patient', 'aria-label': `Add a patient to ${team.name}`,
      onsubmit: (e: Event) => {
        e.preventDefault();
        if (!form.show(validatePatient(patient.value))) return;
        const id = patient.value.trim().replace(/^Patient\//, '');
        void change(teams => addedMessage(teams, team.id, { patient: `Patient/${id}` }), () => ctx.api.post(
          `api/care-teams/${enc(team.id)}/patients`, { patient: `Patient/${id}` }), form);
      } }, form.general,
    h('div', { class: 'row' }, form.field('patient', 'Patient id', patient, 'A patient of your institution'),
      h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Add patient'))));
  }

  void load();
}
