import type { AppContext } from '../context';
import { field, h, mount } from '../dom';
import type { Patient, Resource } from '../fhir';
import { dateTimeWithOffset, medicationOrder, noteDocument, parseDecimal, problemCondition, validateVitals,
  vitalsObservations, type VitalsInput } from '../record-builders';
import { errorBox } from './patients';
import { bannerDetails, patientIdentity, patientTitle } from './patient-banner';

export const RECORD_KINDS = {
  vitals: 'Record vitals',
  note: 'Write a note',
  problem: 'Add a problem',
  medication: 'Order a medication',
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
  build(): { errors: string[]; resources: Resource[] };
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
    build() {
      const typing: string[] = [];
      const input: VitalsInput = { systolic: systolic.read(typing), diastolic: diastolic.read(typing),
        heartRate: heartRate.read(typing), weight: weight.read(typing), temperature: temperature.read(typing),
        effective: when.value ? isoFromLocal(when.value) : '' };
      const errors = typing.length ? typing : validateVitals(input);
      if (!when.value) errors.push('Enter when the vitals were measured.');
      return { errors, resources: errors.length ? [] : vitalsObservations(patientId, input) };
    },
  };
}

function noteForm(patientId: string): FormSpec {
  const title = h('input', { type: 'text', name: 'title', required: true, maxlength: '200' });
  const text = h('textarea', { name: 'text', rows: '8', required: true });
  return {
    fields: [field('Title', title), field('Note', text)],
    build() {
      const errors = [title.value.trim() ? '' : 'Enter a title.', text.value.trim() ? '' : 'Write the note.']
        .filter(Boolean);
      return { errors, resources: errors.length ? [] : [noteDocument(patientId, title.value.trim(), text.value,
        nowWithOffset())] };
    },
  };
}

function problemForm(patientId: string): FormSpec {
  const text = h('input', { type: 'text', name: 'problem', required: true });
  const snomed = h('input', { type: 'text', name: 'snomed', inputmode: 'numeric', pattern: '\\d{6,18}' });
  const onset = h('input', { type: 'date', name: 'onset' });
  return {
    fields: [field('Problem', text), field('SNOMED CT code', snomed, 'optional'), field('Onset', onset, 'optional')],
    build() {
      const errors: string[] = [];
      if (!text.value.trim()) errors.push('Describe the problem.');
      if (snomed.value && !/^\d{6,18}$/.test(snomed.value)) errors.push('A SNOMED CT code has 6 to 18 digits.');
      return { errors, resources: errors.length ? [] : [problemCondition(patientId, text.value.trim(),
        onset.value || undefined, nowWithOffset(), snomed.value || undefined)] };
    },
  };
}

function medicationForm(patientId: string): FormSpec {
  const medication = h('input', { type: 'text', name: 'medication', required: true });
  const dosage = h('input', { type: 'text', name: 'dosage', required: true, placeholder: 'e.g. 500 mg twice daily' });
  return {
    fields: [field('Medication', medication), field('Dosage instructions', dosage)],
    build() {
      const errors = [medication.value.trim() ? '' : 'Name the medication.',
        dosage.value.trim() ? '' : 'Give the dosage instructions.'].filter(Boolean);
      return { errors, resources: errors.length ? [] : [medicationOrder(patientId, medication.value.trim(),
        dosage.value.trim(), nowWithOffset())] };
    },
  };
}

const FORMS: Record<RecordKind, (patientId: string) => FormSpec> = {
  vitals: vitalsForm, note: noteForm, problem: problemForm, medication: medicationForm,
};

/** A recording form: validates in the browser, then POSTs each resource to the FHIR API; shows server errors. */
export function renderRecord(ctx: AppContext, outlet: HTMLElement, patientId: string, kind: RecordKind): void {
  const spec = FORMS[kind](patientId);
  const feedback = h('div', { class: 'feedback', 'aria-live': 'assertive' });
  const submit = h('button', { type: 'submit', class: 'primary' }, 'Save');
  const chart = `/patients/${encodeURIComponent(patientId)}`;
  const form = h('form', { class: 'record-form', novalidate: true, 'aria-labelledby': 'record-title',
    onsubmit: (e: Event) => { e.preventDefault(); void save(); } },
  spec.fields, h('div', { class: 'actions' }, submit, h('a', { href: `#${chart}` }, 'Cancel')));

  async function save(): Promise<void> {
    const { errors, resources } = spec.build();
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
