import { institutionLabel, type AppContext } from '../context';
import { h } from '../dom';
import { ageOn, custodianOf, humanName, type Identifier, type Patient } from '../fhir';

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
