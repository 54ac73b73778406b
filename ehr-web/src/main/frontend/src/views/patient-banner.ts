import { institutionLabel, type AppContext } from '../context';
import { h, mount } from '../dom';
import { ageOn, codeText, custodianOf, humanName, resources, type CodeableConcept, type Identifier, type Patient,
  type Resource } from '../fhir';
import type { TimelinePage } from '../timeline-model';

/** Today's date in the browser (YYYY-MM-DD), for ages. */
export function localToday(now: Date = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

/** "MRN 12345" for a medical record number (identifier type MR), else "<system tail> value". */
export function identifierText(i: Identifier): string {
  const mr = i.type?.coding?.some(c => c.code === 'MR');
  const label = mr ? 'MRN' : i.type?.text ?? i.system?.split(/[/:]/).filter(Boolean).pop();
  return [label, i.value].filter(Boolean).join(' ');
}

const SEX: Record<string, string> = { female: 'Female', male: 'Male', other: 'Other', unknown: 'Sex unknown' };

/** "Female · born 1961-04-02 (65 y)". */
export function demographics(p: Pick<Patient, 'gender' | 'birthDate'>, today: string = localToday()): string {
  const age = ageOn(p.birthDate, today);
  return [p.gender ? SEX[p.gender] ?? p.gender : 'Sex not recorded',
    p.birthDate ? `born ${p.birthDate}${age === undefined ? '' : ` (${age} y)`}` : 'birth date not recorded']
    .join(' · ');
}

/**
 * Who this screen is about: name, sex, birth date and age, identifiers (MRN first), and the institution that
 * holds the registration. Every clinical screen shows it (issue #20: no wrong-patient screens).
 */
export function patientIdentity(ctx: AppContext, p: Patient): HTMLElement {
  const custodian = custodianOf(p);
  const shared = custodian && custodian !== ctx.user.tenant;
  const ids = (p.identifier ?? []).filter(i => i.value)
    .sort((a, b) => Number(!!b.type?.coding?.some(c => c.code === 'MR')) - Number(!!a.type?.coding?.some(c => c.code === 'MR')));
  const unique = [...new Map(ids.map(i => [i.value, i])).values()].slice(0, 2);
  return h('div', { class: 'who' },
    h('h1', { tabindex: '-1' }, humanName(p)),
    h('span', { class: 'demo' }, demographics(p)),
    h('span', { class: 'ids' }, unique.map(i => h('span', { class: 'id', title: i.system ?? '' }, identifierText(i)))),
    custodian ? h('span', { class: `badge${shared ? ' shared' : ''}` },
      `${shared ? 'Shared · ' : ''}${institutionLabel(ctx, custodian)}`) : null);
}

interface AllergyLike extends Resource {
  code?: CodeableConcept;
  criticality?: string;
  clinicalStatus?: CodeableConcept;
  verificationStatus?: CodeableConcept;
}

const statusOf = (c: CodeableConcept | undefined) => c?.coding?.[0]?.code;

/** The allergies a banner shows: current ones (not resolved, inactive or refuted), high criticality first. */
export function bannerAllergies(all: AllergyLike[]): { text: string; high: boolean }[] {
  return all.filter(a => !['resolved', 'inactive'].includes(statusOf(a.clinicalStatus) ?? '')
    && !['refuted', 'entered-in-error'].includes(statusOf(a.verificationStatus) ?? ''))
    .map(a => ({ text: `${codeText(a.code) || 'Allergy'}${a.criticality ? ` (${a.criticality === 'unable-to-assess'
      ? 'criticality unknown' : `${a.criticality} criticality`})` : ''}`, high: a.criticality === 'high' }))
    .sort((x, y) => Number(y.high) - Number(x.high) || x.text.localeCompare(y.text));
}

/** "Chart: Visser, Anna · Meridian EHR" — every patient screen's title names the patient. */
export function patientTitle(screen: string, p: Patient): string {
  return `${screen}: ${humanName(p)} · Meridian EHR`;
}

/**
 * Shown only where the server says so (ADR 0033): the patient opted in, and another institution holds records about
 * them that are not shared with this clinician. Names no institution and counts none.
 */
export const OUTSIDE_RECORDS_HINT = 'Records at other institutions exist that are not shared with you \u2014 the '
  + 'patient can share them from the portal';

/**
 * The banner's second line (issue #20): the patient's allergies with their criticality, and the institutions that
 * hold data about them (from the timeline's institution facet). Loads by itself; says so when it cannot.
 */
export function bannerDetails(ctx: AppContext, patientId: string): HTMLElement {
  const allergyEl = h('span', { class: 'banner-allergies', 'aria-busy': 'true' }, 'Allergies: …');
  const heldEl = h('span', { class: 'banner-held' });
  const id = encodeURIComponent(patientId);
  void ctx.api.search<AllergyLike>('AllergyIntolerance', { patient: patientId, _count: 50 }).then(b => {
    const items = bannerAllergies(resources(b));
    mount(allergyEl, h('strong', null, 'Allergies: '), items.length === 0 ? 'none recorded'
      : items.map((a, i) => [i ? ', ' : '', h('span', { class: `allergy${a.high ? ' high' : ''}` }, a.text)]));
  }).catch(() => mount(allergyEl, h('strong', null, 'Allergies: '), 'not available'))
    .finally(() => allergyEl.removeAttribute('aria-busy'));
  void ctx.api.get<TimelinePage>(`api/patients/${id}/timeline?size=1`).then(page => {
    const held = (page.facets?.institution ?? []).map(f => f.name ?? institutionLabel(ctx, f.key));
    if (held.length) mount(heldEl, h('strong', null, 'Data held at: '), held.join(', '));
  }).catch(() => undefined);
  const outsideEl = h('span', { class: 'banner-outside', hidden: true });
  void ctx.api.get<{ hint?: boolean }>(`api/patients/${id}/outside-records`).then(r => {
    if (r?.hint !== true) return;
    outsideEl.hidden = false;
    mount(outsideEl, OUTSIDE_RECORDS_HINT);
  }).catch(() => undefined);
  return h('div', { class: 'banner-details' }, allergyEl, heldEl, outsideEl);
}
