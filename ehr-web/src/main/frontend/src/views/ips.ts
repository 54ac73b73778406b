import type { AppContext } from '../context';
import { institutionLabel } from '../context';
import { h } from '../dom';
import { humanName, type Patient } from '../fhir';
import { custodians, ipsView, type DocBundle, type IpsView } from '../ips-model';
import { demographics } from './patient-banner';

/** The patient a summary document is about, and the name to show for them. */
export function ipsPatient(doc: DocBundle, fallback: string): { patient?: Patient; name: string } {
  const patient = doc.entry?.find(e => e.resource?.resourceType === 'Patient')?.resource as Patient | undefined;
  return { patient, name: patient ? humanName(patient) : fallback };
}

/**
 * A patient summary (IPS) as a person reads it and prints it (issue #20): whose it is, every institution that holds
 * its data, each section's items with values, doses and reactions; {@code note} says on what terms it is shown.
 * The same view for a clinician redeeming a share code and for the patient reading their own.
 */
export function ipsArticle(ctx: AppContext, doc: DocBundle, name: string, patient: Patient | undefined,
                           firstInstitution: string | undefined, note: string): HTMLElement {
  const held = custodians(doc, firstInstitution).map(t => institutionLabel(ctx, t));
  return h('article', { class: 'ips', 'aria-labelledby': 'ips-title' },
    h('header', { class: 'patient-banner' }, h('h2', { id: 'ips-title' }, `Patient summary: ${name}`),
      patient ? h('span', { class: 'demo' }, demographics(patient)) : null),
    h('p', { class: 'muted held-by' }, `Held by ${held.join(', ')}. ${note}`.trim()),
    h('div', { class: 'cards' }, ipsView(doc).map(section)),
    h('button', { type: 'button', class: 'print', onclick: () => window.print() }, 'Print this summary'));
}

function section(s: IpsView): HTMLElement {
  return h('section', { class: 'card', 'aria-label': s.title, 'data-section': s.code }, h('h3', null, s.title),
    s.items.length === 0 ? h('p', { class: 'muted' }, s.emptyText ?? 'Nothing recorded')
      : h('ul', { class: 'plain ips-items' }, s.items.map(i => h('li', null,
        h('span', { class: 'item-title' }, i.title),
        i.detail ? h('span', { class: 'item-detail' }, ` — ${i.detail}`) : '',
        i.flag ? h('span', { class: `flag flag-${i.flag.replace(/\W+/g, '-')}`, title: i.flagTitle ?? 'Outside the reference range' },
          ` ${i.flag}`) : '',
        i.meta ? h('span', { class: 'item-meta muted' }, ` · ${i.meta}`) : ''))));
}
