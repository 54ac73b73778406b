import type { AppContext } from '../context';
import { h, mount } from '../dom';
import { resources, type Observation, type Patient } from '../fhir';
import { flowsheet, type Flowsheet } from '../flowsheet';
import { entryLink } from './chart';
import { bannerDetails, patientIdentity, patientTitle } from './patient-banner';
import { errorBox } from './patients';

const SHEETS: { category: string; title: string }[] = [
  { category: 'vital-signs', title: 'Vital signs' }, { category: 'laboratory', title: 'Laboratory results' }];

/** Vitals and lab flowsheets: analyte × day with reference ranges and H/L flags (issue #20). */
export function renderFlowsheet(ctx: AppContext, outlet: HTMLElement, patientId: string): void {
  const banner = h('header', { class: 'patient-banner', 'aria-busy': 'true' },
    h('p', { class: 'muted' }, 'Loading the patient…'));
  const chart = `#/patients/${encodeURIComponent(patientId)}`;
  const sections = SHEETS.map(s => h('section', { class: 'card flowsheet', 'data-sheet': s.category,
    'aria-labelledby': `fs-${s.category}` }, h('h2', { id: `fs-${s.category}` }, s.title),
  h('p', { class: 'muted', 'aria-busy': 'true' }, 'Loading…')));
  mount(outlet, h('section', { class: 'page flowsheets' }, banner, h('a', { href: chart, class: 'back' },
    '← Back to the chart'), sections));

  void ctx.api.read<Patient>('Patient', patientId).then(p => {
    mount(banner, patientIdentity(ctx, p), bannerDetails(ctx, patientId));
    document.title = patientTitle('Flowsheet', p);
  }).catch(e => mount(banner, h('h1', null, 'Patient not available'), errorBox(e)))
    .finally(() => banner.removeAttribute('aria-busy'));

  SHEETS.forEach((s, i) => {
    void ctx.api.search<Observation>('Observation', { patient: patientId, category: s.category, _sort: '-date',
      _count: 200 }).then(b => mount(sections[i], h('h2', { id: `fs-${s.category}` }, s.title),
      sheetTable(flowsheet(resources(b)), s.title, o => entryLink(patientId, 'Observation', o))))
      .catch(e => mount(sections[i], h('h2', { id: `fs-${s.category}` }, s.title), errorBox(e)));
  });
}

function sheetTable(sheet: Flowsheet, title: string, link: (id: string) => string): HTMLElement {
  if (!sheet.rows.length) return h('p', { class: 'muted' }, 'Nothing recorded.');
  return h('div', { class: 'table-scroll', tabindex: '0', role: 'region', 'aria-label': `${title}, scrollable` },
    h('table', { class: 'grid sheet' }, h('caption', { class: 'visually-hidden' }, `${title} by day, newest first`),
      h('thead', null, h('tr', null, h('th', { scope: 'col', class: 'sticky' }, 'Analyte'),
        h('th', { scope: 'col' }, 'Reference range'), sheet.days.map(d => h('th', { scope: 'col', class: 'nowrap' }, d)))),
      h('tbody', null, sheet.rows.map(r => h('tr', { 'data-row': r.title },
        h('th', { scope: 'row', class: 'sticky' }, r.title), h('td', { class: 'range muted' }, r.range),
        sheet.days.map(d => {
          const c = r.cells[d];
          if (!c) return h('td', null, '');
          return h('td', { class: `nowrap${c.flag ? ' flagged' : ''}` }, c.id ? h('a', { href: link(c.id) }, c.text)
            : c.text, c.flag ? h('span', { class: 'flag', title: 'Outside the reference range' }, ` ${c.flag}`) : '');
        }))))));
}
