import { ApiError } from '../api';
import { institutionLabel, type AppContext } from '../context';
import { h, mount } from '../dom';
import { type Patient } from '../fhir';
import { bannerDetails, patientIdentity, patientTitle } from './patient-banner';
import type { TimelineEntry } from '../timeline-model';
import { breakGlassBanner, breakGlassPanel } from './breakglass';
import { RECORD_KINDS } from './record';
import { renderSummary } from './summary';
import { appsMenu } from '../smart-apps';
import { TimelineView } from './timeline';
import { errorBox } from './patients';

export function entryLink(patientId: string, type: string, id: string): string {
  return `#/patients/${encodeURIComponent(patientId)}/entry/${encodeURIComponent(type)}/${encodeURIComponent(id)}`;
}

/** A chart left for one of its entries: kept whole (loaded pages, filters, scroll position) for the way back. */
interface KeptChart {
  patientId: string;
  page: HTMLElement;
  timeline: TimelineView;
  scrollY: number;
  at: number;
}

/** How long a chart left for an entry is kept for the way back; older, it is loaded afresh. */
export const KEEP_CHART_MS = 10 * 60_000;
let kept: KeptChart | undefined;

/** The kept chart of this patient, if the user comes back to it soon and nothing new was recorded. */
export function takeKeptChart(patientId: string, query: URLSearchParams, now = Date.now()): KeptChart | undefined {
  const k = kept;
  kept = undefined;
  if (k && k.patientId === patientId && !query.get('recorded') && now - k.at < KEEP_CHART_MS) return k;
  k?.timeline.dispose();
  return undefined;
}

/** Puts a kept chart back: the same DOM (timeline pages, filter values), then the scroll position once laid out. */
function restore(outlet: HTMLElement, k: KeptChart): () => void {
  mount(outlet, k.page);
  const name = k.page.querySelector('.patient-banner h1')?.textContent;
  if (name) document.title = `Chart: ${name} · Meridian EHR`;
  const raf = globalThis.requestAnimationFrame ?? ((f: () => void) => setTimeout(f, 0));
  raf(() => window.scrollTo(0, k.scrollY));
  return leave(k.patientId, k.page, k.timeline, () => false);
}

/** On leaving the chart: kept when the user opened one of its entries, else its timeline is stopped. */
function leave(patientId: string, page: HTMLElement, timeline: TimelineView, denied: () => boolean): () => void {
  return () => {
    const toEntry = location.hash.startsWith(`#/patients/${encodeURIComponent(patientId)}/entry/`);
    if (toEntry && !denied()) {
      kept?.timeline.dispose();
      kept = { patientId, page, timeline, scrollY: window.scrollY, at: Date.now() };
    } else {
      timeline.dispose();
    }
  };
}

/** The patient chart: identity banner, record actions, summary header with trends, and the timeline. */
export function renderChart(ctx: AppContext, outlet: HTMLElement, patientId: string, query: URLSearchParams):
  () => void {
  const back = takeKeptChart(patientId, query);
  if (back) return restore(outlet, back);
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
    firstPage, ctx.user.tenant, tenant => tenant ? institutionLabel(ctx, tenant) : undefined), timeline.element);
  const page = h('div', { class: 'page chart' }, banner, glass, body);
  mount(outlet, page);

  let shownDenial = false;
  function denied(e: ApiError): void {
    if (shownDenial) return;
    shownDenial = true;
    mount(body, breakGlassPanel(ctx, patientId, e, () => ctx.navigate(`/patients/${encodeURIComponent(patientId)}`)));
  }

  void ctx.api.read<Patient>('Patient', patientId).then(p => {
    mount(banner, patientBanner(ctx, p));
    if (!shownDenial) banner.appendChild(bannerDetails(ctx, patientId));
    document.title = patientTitle('Chart', p);
  })
    .catch(e => {
      if (e instanceof ApiError && e.denied) denied(e);
      else mount(banner, h('h1', null, 'Patient'), errorBox(e));
    });
  void firstPage.then(() => waitForRecorded(timeline, recorded));
  return leave(patientId, page, timeline, () => shownDenial);
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
      h('a', { class: 'button', href: `#/patients/${id}/flowsheet` }, 'Flowsheet'),
      h('button', { type: 'button', class: 'print', onclick: () => window.print() }, 'Print summary'),
      appsMenu(ctx.api, p.id ?? ''),
      (Object.keys(RECORD_KINDS) as (keyof typeof RECORD_KINDS)[]).map(kind =>
        h('a', { class: 'button', href: `#/patients/${id}/record/${kind}` }, RECORD_KINDS[kind]))),
  ];
}
