import type { AppContext } from '../context';
import { field, h, mount } from '../dom';
import type { Resource } from '../fhir';
import { amended, amendmentKind, authorOf, enteredInError, isEnteredInError, noteText, parseDecimal,
  type Amendment } from '../record-builders';
import { errorBox } from './patients';

/** True when the signed-in clinician is this entry's author (their Practitioner as recorder/requester/performer). */
export function recordedBy(ctx: AppContext, r: Resource): boolean {
  return !!ctx.user.practitionerId && authorOf(r) === `Practitioner/${ctx.user.practitionerId}`;
}

/** The marker over an entry entered in error: shown, never hidden (issue #20). */
export function errorMarker(r: Resource): HTMLElement | null {
  return isEnteredInError(r) ? h('p', { class: 'entered-in-error-marker', role: 'note' },
    h('strong', null, 'Entered in error'), ' — kept in the record and its history, not to be relied on.') : null;
}

/**
 * "Amend" and "Mark entered in error" for an entry the clinician recorded (issue #20). Each stores a new version
 * through the FHIR API with If-Match on the version shown (someone else's change meanwhile is not overwritten);
 * the history keeps the old version. {@code changed} re-renders the entry.
 */
export function entryActions(ctx: AppContext, r: Resource, changed: () => void): HTMLElement | null {
  if (!recordedBy(ctx, r) || isEnteredInError(r) || !r.id) return null;
  const version = r.meta?.versionId ?? '';
  const feedback = h('div', { class: 'feedback', 'aria-live': 'assertive' });
  const store = async (next: Resource) => {
    try {
      await ctx.api.update(next, version);
      changed();
    } catch (e) {
      mount(feedback, errorBox(e));
    }
  };
  const kind = amendmentKind(r);
  const amendForm = kind ? amendment(kind, change => void store(amended(r, change)), feedback, noteText(r))
    : null;
  const confirm = h('button', { type: 'button', class: 'danger', hidden: true,
    onclick: () => void store(enteredInError(r)) }, 'Confirm: entered in error');
  const markButton = h('button', { type: 'button', onclick: () => {
    confirm.hidden = false;
    confirm.focus();
  } }, 'Mark entered in error');
  return h('section', { class: 'entry-actions', 'aria-label': 'Correct this entry' },
    h('h3', null, 'Correct this entry'),
    h('p', { class: 'muted' }, 'You recorded this entry. A correction is a new version; the old one stays in the history.'),
    amendForm, h('div', { class: 'actions' }, markButton, confirm), feedback);
}

/** The amendment's field: a number, dosage text, a date, or the note's whole text to correct (prefilled). */
function amendInput(kind: 'value' | 'dosage' | 'onset' | 'text', current?: string) {
  if (kind === 'text') {
    const area = h('textarea', { name: 'amend-text', rows: '8' });
    area.value = current ?? '';
    return area;
  }
  return h('input', { type: kind === 'onset' ? 'date' : 'text', name: `amend-${kind}`,
    ...(kind === 'value' ? { inputmode: 'decimal' } : {}) });
}

function amendment(kind: 'value' | 'dosage' | 'onset' | 'text', apply: (a: Amendment) => void,
                   feedback: HTMLElement, current?: string): HTMLElement {
  const label = { value: 'New value', dosage: 'New dosage instructions', onset: 'Onset', text: 'Corrected note' }[kind];
  const input = amendInput(kind, current);
  return h('form', { class: 'amend', novalidate: true, onsubmit: (e: Event) => {
    e.preventDefault();
    const text = input.value.trim();
    if (kind === 'value') {
      const parsed = parseDecimal(text);
      if (parsed.error || parsed.value === undefined) {
        mount(feedback, h('p', { class: 'error', role: 'alert' }, parsed.error ?? 'Enter the new value.'));
        return;
      }
      apply({ value: parsed.value });
    } else if (!text) {
      mount(feedback, h('p', { class: 'error', role: 'alert' }, `Enter the ${label.toLowerCase()}.`));
    } else if (kind === 'text') {
      if (text === (current ?? '').trim()) {
        mount(feedback, h('p', { class: 'error', role: 'alert' }, 'The note is unchanged: correct its text first.'));
        return;
      }
      apply({ text: input.value });
    } else {
      apply(kind === 'dosage' ? { dosage: text } : { onset: text });
    }
  } }, field(label, input), h('button', { type: 'submit' }, 'Amend'));
}
