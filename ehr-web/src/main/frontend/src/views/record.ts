import type { AppContext } from '../context';
import { field, h, mount } from '../dom';
import type { Patient, Resource } from '../fhir';
import { dateTimeWithOffset, medicationOrder, noteDocument, parseDecimal, problemCondition, resultObservation,
  validateVitals, vitalsObservations, type Authoring, type VitalsInput } from '../record-builders';
import { codeLabel, lookup, type Concept, type TerminologyKind } from '../terminology';
import { encounterChoice, encounterLabel, type Encounter } from '../encounters';
import { errorBox } from './patients';
import { bannerDetails, patientIdentity, patientTitle } from './patient-banner';

export const RECORD_KINDS = {
  vitals: 'Record vitals',
  note: 'Write a note',
  problem: 'Add a problem',
  medication: 'Order a medication',
  result: 'Record a result',
} as const;
export type RecordKind = keyof typeof RECORD_KINDS;

function nowLocal(): string {
  const d = new Date();
  d.setMinutes(d.getMinutes() - d.getTimezoneOffset());
  return d.toISOString().slice(0, 16);
}

/** A datetime-local value as a FHIR dateTime with the browser's offset at that local time (ADR 0017). */
function isoFromLocal(value: string): string {
  return dateTimeWithOffset(value, new Date(value).getTimezoneOffset());
}

/** Now, as the browser's local time with its offset (ADR 0017). */
function nowWithOffset(): string {
  return isoFromLocal(nowLocal());
}

interface FormSpec {
  fields: HTMLElement[];
  build(a: Authoring): { errors: string[]; resources: Resource[] };
}

/**
 * A text input with codes offered as one types (issue #20): suggestions from the bundled value set
 * ({@link lookup}); picking one codes the entry, and the chosen code is shown beside the field. Typing on after a
 * pick un-codes it (the text no longer is the code's).
 */
function codedInput(kind: TerminologyKind, name: string, label: string) {
  const input = h('input', { type: 'text', name, required: true, autocomplete: 'off', role: 'combobox',
    'aria-autocomplete': 'list', 'aria-expanded': 'false', 'aria-controls': `${name}-codes` });
  const list = h('ul', { class: 'code-suggestions', id: `${name}-codes`, role: 'listbox', hidden: true });
  const chosenLine = h('p', { class: 'coded muted', 'aria-live': 'polite' }, 'Not coded: choose a suggestion to code it.');
  let chosen: Concept | undefined;
  const show = (items: Concept[]) => {
    mount(list, items.map(c => h('li', { role: 'option', 'aria-selected': 'false' },
      h('button', { type: 'button', class: 'suggestion', 'data-code': c.code, onclick: () => pick(c) },
        c.display, h('span', { class: 'muted' }, ` ${codeLabel(c)}`)))));
    list.hidden = items.length === 0;
    input.setAttribute('aria-expanded', String(items.length > 0));
  };
  const pick = (c: Concept) => {
    chosen = c;
    input.value = c.display;
    show([]);
    chosenLine.className = 'coded';
    chosenLine.dataset.code = c.code;
    mount(chosenLine, 'Coded: ', h('strong', null, c.display), ` (${codeLabel(c)})`,
      c.unit ? ` \u2014 recorded in ${c.unit.unit}` : '');
    input.focus();
  };
  input.addEventListener('input', () => {
    if (chosen && input.value !== chosen.display) {
      chosen = undefined;
      chosenLine.className = 'coded muted';
      delete chosenLine.dataset.code;
      chosenLine.textContent = 'Not coded: choose a suggestion to code it.';
    }
    show(lookup(kind, input.value));
  });
  const wrap = field(label, input);
  wrap.append(list, chosenLine);
  return { input, wrap, concept: () => chosen };
}

/**
 * A decimal input as text (inputmode decimal): the browser's number input reads a comma by its own locale rules,
 * and "8,4" has been stored as 84. The text is parsed by {@link parseDecimal}; a refusal is shown at the field.
 */
function decimalInput(name: string, label: string) {
  const input = h('input', { type: 'text', name, inputmode: 'decimal', autocomplete: 'off', spellcheck: 'false' });
  const message = h('span', { class: 'field-error', id: `${name}-error`, hidden: true });
  const wrap = field(label, input);
  wrap.appendChild(message);
  return {
    input, wrap,
    read(errors: string[]): number | undefined {
      const parsed = parseDecimal(input.value);
      if (parsed.error) {
        input.setAttribute('aria-invalid', 'true');
        input.setAttribute('aria-describedby', message.id);
        message.textContent = parsed.error;
        message.hidden = false;
        errors.push(`${label}: ${parsed.error}`);
        return Number.NaN;
      }
      input.removeAttribute('aria-invalid');
      input.removeAttribute('aria-describedby');
      message.hidden = true;
      return parsed.value;
    },
  };
}

function vitalsForm(patientId: string): FormSpec {
  const systolic = decimalInput('systolic', 'Systolic');
  const diastolic = decimalInput('diastolic', 'Diastolic');
  const heartRate = decimalInput('heartRate', 'Heart rate (/min)');
  const weight = decimalInput('weight', 'Weight (kg)');
  const temperature = decimalInput('temperature', 'Temperature (°C)');
  const when = h('input', { type: 'datetime-local', name: 'effective', value: nowLocal(), required: true });
  return {
    fields: [h('fieldset', { class: 'inline' }, h('legend', null, 'Blood pressure (mmHg)'),
      systolic.wrap, diastolic.wrap),
    heartRate.wrap, weight.wrap, temperature.wrap, field('Measured at', when)],
    build(a) {
      const typing: string[] = [];
      const input: VitalsInput = { systolic: systolic.read(typing), diastolic: diastolic.read(typing),
        heartRate: heartRate.read(typing), weight: weight.read(typing), temperature: temperature.read(typing),
        effective: when.value ? isoFromLocal(when.value) : '' };
      const errors = typing.length ? typing : validateVitals(input);
      if (!when.value) errors.push('Enter when the vitals were measured.');
      return { errors, resources: errors.length ? [] : vitalsObservations(patientId, input, a) };
    },
  };
}

function noteForm(patientId: string): FormSpec {
  const title = h('input', { type: 'text', name: 'title', required: true, maxlength: '200' });
  const text = h('textarea', { name: 'text', rows: '8', required: true });
  return {
    fields: [field('Title', title), field('Note', text)],
    build(a) {
      const errors = [title.value.trim() ? '' : 'Enter a title.', text.value.trim() ? '' : 'Write the note.']
        .filter(Boolean);
      return { errors, resources: errors.length ? [] : [noteDocument(patientId, title.value.trim(), text.value,
        nowWithOffset(), a)] };
    },
  };
}

function problemForm(patientId: string): FormSpec {
  const problem = codedInput('problem', 'problem', 'Problem');
  const onset = h('input', { type: 'date', name: 'onset' });
  return {
    fields: [problem.wrap, field('Onset', onset, 'optional')],
    build(a) {
      const text = problem.input.value.trim();
      const errors = text ? [] : ['Describe the problem.'];
      return { errors, resources: errors.length ? [] : [problemCondition(patientId, text, onset.value || undefined,
        nowWithOffset(), problem.concept(), a)] };
    },
  };
}

function medicationForm(patientId: string): FormSpec {
  const medication = codedInput('medication', 'medication', 'Medication');
  const dosage = h('input', { type: 'text', name: 'dosage', required: true, placeholder: 'e.g. 500 mg twice daily' });
  return {
    fields: [medication.wrap, field('Dosage instructions', dosage)],
    build(a) {
      const name = medication.input.value.trim();
      const errors = [name ? '' : 'Name the medication.',
        dosage.value.trim() ? '' : 'Give the dosage instructions.'].filter(Boolean);
      return { errors, resources: errors.length ? [] : [medicationOrder(patientId, name, dosage.value.trim(),
        nowWithOffset(), medication.concept(), a)] };
    },
  };
}

/** A lab result or vital sign by its looked-up LOINC code, in that code's unit. */
function resultForm(patientId: string): FormSpec {
  const test = codedInput('result', 'test', 'Test or measurement');
  const value = decimalInput('value', 'Value');
  const when = h('input', { type: 'datetime-local', name: 'effective', value: nowLocal(), required: true });
  return {
    fields: [test.wrap, value.wrap, field('Measured at', when)],
    build(a) {
      const errors: string[] = [];
      const coded = test.concept();
      if (!coded) errors.push('Choose the test from the suggestions (a result needs its LOINC code and unit).');
      const v = value.read(errors);
      if (v === undefined) errors.push('Enter the value.');
      if (!when.value) errors.push('Enter when it was measured.');
      return { errors, resources: errors.length || !coded || v === undefined ? []
        : [resultObservation(patientId, coded, v, isoFromLocal(when.value), a)] };
    },
  };
}

const FORMS: Record<RecordKind, (patientId: string) => FormSpec> = {
  vitals: vitalsForm, note: noteForm, problem: problemForm, medication: medicationForm, result: resultForm,
};

/**
 * Within which encounter the entry is recorded (issue #20): the patient's recent encounters, the one under way
 * (or begun today) chosen, else "No encounter" — always visible and changeable before saving.
 */
function encounterPicker(ctx: AppContext, patientId: string) {
  const select = h('select', { name: 'encounter' }, h('option', { value: '' }, 'No encounter'));
  const wrap = field('Encounter', select);
  wrap.classList.add('encounter-pick');
  void ctx.api.search<Encounter>('Encounter', { patient: patientId, _sort: '-date', _count: 5 })
    .then(b => {
      const encounters = (b.entry ?? []).map(e => e.resource).filter((e): e is Encounter => !!e);
      for (const e of encounters) select.append(h('option', { value: e.id ?? '' }, encounterLabel(e)));
      select.value = encounterChoice(encounters, new Date()) ?? '';
    })
    .catch(() => select.append(h('option', { value: '', disabled: true }, 'Encounters could not be loaded')));
  return { wrap, value: () => select.value || undefined };
}

/** A recording form: validates in the browser, then POSTs each resource to the FHIR API; shows server errors. */
export function renderRecord(ctx: AppContext, outlet: HTMLElement, patientId: string, kind: RecordKind): void {
  const spec = FORMS[kind](patientId);
  const encounter = encounterPicker(ctx, patientId);
  const author = h('p', { class: 'author muted' }, ctx.user.practitionerId
    ? `Recorded by ${ctx.user.name} (Practitioner/${ctx.user.practitionerId})`
    : `Recorded by ${ctx.user.name} (no practitioner id in your account: the entry will name no author)`);
  const feedback = h('div', { class: 'feedback', 'aria-live': 'assertive' });
  const submit = h('button', { type: 'submit', class: 'primary' }, 'Save');
  const chart = `/patients/${encodeURIComponent(patientId)}`;
  const form = h('form', { class: 'record-form', novalidate: true, 'aria-labelledby': 'record-title',
    onsubmit: (e: Event) => { e.preventDefault(); void save(); } },
  spec.fields, encounter.wrap, author,
  h('div', { class: 'actions' }, submit, h('a', { href: `#${chart}` }, 'Cancel')));

  async function save(): Promise<void> {
    const { errors, resources } = spec.build({ practitionerId: ctx.user.practitionerId, name: ctx.user.name,
      encounter: encounter.value() });
    if (errors.length) {
      mount(feedback, h('div', { class: 'error', role: 'alert' }, h('strong', null, 'Please correct:'),
        h('ul', null, errors.map(m => h('li', null, m)))));
      return;
    }
    submit.disabled = true;
    mount(feedback, h('p', { class: 'status' }, 'Saving…'));
    const saved: string[] = [];
    try {
      for (const r of resources) {
        const created = await ctx.api.create(r);
        saved.push(`${created.resourceType}/${created.id}`);
      }
      ctx.navigate(`${chart}?recorded=${encodeURIComponent(saved.join(','))}`);
    } catch (e) {
      mount(feedback, saved.length ? h('p', null, `Saved ${saved.join(', ')} before the error.`) : null, errorBox(e));
    } finally {
      submit.disabled = false;
    }
  }

  const banner = h('header', { class: 'patient-banner', 'aria-busy': 'true' },
    h('p', { class: 'muted' }, 'Loading the patient…'));
  void ctx.api.read<Patient>('Patient', patientId).then(p => {
    mount(banner, patientIdentity(ctx, p), bannerDetails(ctx, patientId));
    document.title = patientTitle(RECORD_KINDS[kind], p);
  }).catch(e => mount(banner, h('h1', null, 'Patient not available'), errorBox(e)))
    .finally(() => banner.removeAttribute('aria-busy'));
  mount(outlet, h('section', { class: 'page record' }, banner,
    h('a', { href: `#${chart}`, class: 'back' }, '← Back to the chart'),
    h('h1', { id: 'record-title' }, RECORD_KINDS[kind]), feedback, form));
  form.querySelector<HTMLElement>('input, textarea')?.focus();
}
