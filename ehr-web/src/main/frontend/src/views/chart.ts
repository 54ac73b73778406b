import { ApiError } from '../api';
import { institutionLabel, type AppContext } from '../context';
import { h, mount } from '../dom';
import { type Patient } from '../fhir';
import { patientIdentity } from './patient-banner';
import type { TimelineEntry } from '../timeline-model';
import { breakGlassBanner, breakGlassPanel } from './breakglass';
import { RECORD_KINDS } from './record';
import { renderSummary } from './summary';
import { TimelineView } from './timeline';
import { errorBox } from './patients';

export function entryLink(patientId: string, type: string, id: string): string {
  return `#/patients/${encodeURIComponent(patientId)}/entry/${encodeURIComponent(type)}/${encodeURIComponent(id)}`;
}

/** The patient chart: identity banner, record actions, summary header with trends, and the timeline. */
export function renderChart(ctx: AppContext, outlet: HTMLElement, patientId: string, query: URLSearchParams):
  () => void {
  performance.clearMarks('timeline-start');
  performance.clearMarks('timeline-first-paint');
  performance.mark('timeline-start');
  const banner = h('header', { class: 'patient-banner' }, h('h1', { tabindex: '-1' }, 'Patient'));
  const glass = h('div', { class: 'bg-slot' }, breakGlassBanner(ctx, patientId));
  const body = h('div', { class: 'chart-body' });
  const recorded = (query.get('recorded') ?? '').split(',').filter(Boolean);
  // Right after a write, ask for read-your-writes so the new entries are in the summary and the timeline.
  const api = recorded.length ? ctx.api.readYourWrites() : ctx.api;
  const timeline = new TimelineView({
    api, patientId,
    entryLink: (e: TimelineEntry) => entryLink(patientId, e.type, e.id),
    institutionName: tenant => tenant ? institutionLabel(ctx, tenant) : undefined,
    onDenied: denied,
  });
  const notice = recorded.length ? h('p', { class: 'flash', role: 'status' },
    `Saved ${recorded.length} ${recorded.length === 1 ? 'entry' : 'entries'}.`) : null;
  const firstPage = timeline.reload();
  mount(body, notice, renderSummary(api, patientId, r => entryLink(patientId, r.resourceType, r.id ?? ''),
    firstPage), timeline.element);
  mount(outlet, h('div', { class: 'page chart' }, banner, glass, body));

  let shownDenial = false;
  function denied(e: ApiError): void {
    if (shownDenial) return;
    shownDenial = true;
    mount(body, breakGlassPanel(ctx, patientId, e, () => ctx.navigate(`/patients/${encodeURIComponent(patientId)}`)));
  }

  void ctx.api.read<Patient>('Patient', patientId).then(p => mount(banner, patientBanner(ctx, p)))
    .catch(e => {
      if (e instanceof ApiError && e.denied) denied(e);
      else mount(banner, h('h1', null, 'Patient'), errorBox(e));
    });
  void firstPage.then(() => waitForRecorded(timeline, recorded));
  return () => timeline.dispose();
}

/** Should the server not honour read-your-writes, reload (a few times, briefly) until the new entries show. */
async function waitForRecorded(timeline: TimelineView, recorded: string[], attempts = 8): Promise<void> {
  for (let i = 0; i < attempts && recorded.length; i++) {
    const shown = new Set(timeline.shownEntries.map(e => `${e.type}/${e.id}`));
    if (recorded.every(r => shown.has(r))) return;
    await new Promise(resolve => setTimeout(resolve, 400));
    await timeline.reload();
  }
}

function patientBanner(ctx: AppContext, p: Patient): HTMLElement[] {
  const id = encodeURIComponent(p.id ?? '');
  return [
    patientIdentity(ctx, p),
    h('nav', { class: 'record-actions', 'aria-label': 'Record for this patient' },
      (Object.keys(RECORD_KINDS) as (keyof typeof RECORD_KINDS)[]).map(kind =>
        h('a', { class: 'button', href: `#/patients/${id}/record/${kind}` }, RECORD_KINDS[kind]))),
  ];
}
