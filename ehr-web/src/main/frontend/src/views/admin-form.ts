import { ApiError } from '../api';
import { fieldOfCode, type Errors } from '../admin-model';
import { h, mount, uid } from '../dom';
import { errorBox } from './patients';

/**
 * A small form helper for the admin screens: labelled controls with an error slot each (aria-invalid and
 * aria-describedby wired), and server errors shown at the field their EHR code is about, else above the form.
 */
export class AdminForm {
  private readonly slots = new Map<string, { control: HTMLElement; error: HTMLElement }>();
  readonly general = h('div', { 'aria-live': 'polite' });

  field(key: string, label: string, control: HTMLElement, hint?: string): HTMLElement {
    const id = control.id || uid(`admin-${key}`);
    control.id = id;
    const error = h('span', { class: 'field-error', id: `${id}-error` });
    const hintEl = hint ? h('span', { class: 'hint', id: `${id}-hint` }, hint) : null;
    control.setAttribute('aria-describedby', [hintEl?.id, error.id].filter(Boolean).join(' '));
    this.slots.set(key, { control, error });
    return h('div', { class: 'field', 'data-field': key }, h('label', { for: id }, label), control, hintEl, error);
  }

  /** Shows the errors (clearing the others); focuses the first invalid control. True when there were none. */
  show(errors: Errors): boolean {
    let first: HTMLElement | undefined;
    for (const [key, slot] of this.slots) {
      const message = errors[key];
      slot.error.textContent = message ?? '';
      if (message) {
        slot.control.setAttribute('aria-invalid', 'true');
        first ??= slot.control;
      } else {
        slot.control.removeAttribute('aria-invalid');
      }
    }
    mount(this.general);
    first?.focus();
    return !first;
  }

  /** A refused request: at its field when the code names one of this form's fields, else above the form. */
  failed(e: unknown): void {
    const key = e instanceof ApiError ? fieldOfCode(e.code, [...this.slots.keys()]) : undefined;
    if (key && e instanceof ApiError) {
      this.show({ [key]: e.messages.join('; ') });
    } else {
      this.show({});
      mount(this.general, errorBox(e));
    }
  }
}

/** A removal button that asks once more before acting (no modal: the second press confirms). */
export function confirmButton(label: string, ariaLabel: string, act: () => Promise<void>): HTMLButtonElement {
  let armed = false;
  const button: HTMLButtonElement = h('button', { type: 'button', class: 'small', 'aria-label': ariaLabel,
    onclick: () => {
      if (!armed) {
        armed = true;
        button.textContent = 'Confirm';
        button.classList.add('danger');
        button.setAttribute('aria-label', `Confirm: ${ariaLabel}`);
        return;
      }
      button.disabled = true;
      void act().finally(() => { button.disabled = false; });
    },
    onblur: () => {
      if (armed && !button.disabled) {
        armed = false;
        button.textContent = label;
        button.classList.remove('danger');
        button.setAttribute('aria-label', ariaLabel);
      }
    } }, label);
  return button;
}

export function flash(slot: HTMLElement, message: string): void {
  mount(slot, h('p', { class: 'flash', role: 'status' }, message));
}
