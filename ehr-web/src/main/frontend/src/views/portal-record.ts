import type { AppContext } from '../context';
import { institutionLabel } from '../context';
import { h, mount } from '../dom';
import { renderSummary } from './summary';
import { TimelineView } from './timeline';
import { errorBox } from './patients';
import { ipsArticle, ipsPatient } from './ips';
import type { DocBundle } from '../ips-model';

interface Me {
  records: { id: string; institution: string; name: string }[];
}

/** My record: the summary and timeline of the patient's own data from every institution, and the exports. */
export function renderMyRecord(ctx: AppContext, outlet: HTMLElement): () => void {
  const body = h('div', { class: 'chart-body' }, h('p', { class: 'muted', 'aria-busy': 'true' }, 'Loading…'));
  const exports = h('div', { class: 'record-actions' },
    h('button', { type: 'button', id: 'export-record', onclick: () => void download('api/me/export', 'my-record.json') },
      'Download my complete record (FHIR)'),
    h('button', { type: 'button', id: 'export-summary', disabled: true }, 'Download my patient summary (IPS)'),
    h('a', { href: '#/me/summary', class: 'button', id: 'read-summary' }, 'Read and print my patient summary'));
  const feedback = h('div', { 'aria-live': 'polite' });
  mount(outlet, h('div', { class: 'page chart' },
    h('header', { class: 'patient-banner' }, h('h1', { tabindex: '-1' }, 'My record'), exports), feedback, body));
  let timeline: TimelineView | undefined;

  async function download(path: string, file: string): Promise<void> {
    try {
      const data = await ctx.api.request<unknown>('GET', path, undefined, 'application/fhir+json');
      const url = URL.createObjectURL(new Blob([JSON.stringify(data, null, 2)], { type: 'application/fhir+json' }));
      const a = h('a', { href: url, download: file });
      document.body.appendChild(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 1000);
      mount(feedback, h('p', { class: 'flash', role: 'status' }, `Downloaded ${file}.`));
    } catch (e) {
      mount(feedback, errorBox(e));
    }
  }

  void ctx.api.get<Me>('api/me').then(me => {
    const first = me.records[0];
    if (!first) {
      mount(body, h('p', { class: 'notice' }, 'No institution holds a record of you yet.'));
      return;
    }
    const summaryButton = exports.querySelector<HTMLButtonElement>('#export-summary')!;
    summaryButton.disabled = false;
    summaryButton.onclick = () => void download(`fhir/Patient/${encodeURIComponent(first.id)}/$summary`,
      'my-patient-summary.json');
    timeline = new TimelineView({
      api: ctx.api, patientId: first.id, entryLink: () => '#/me',
      institutionName: tenant => tenant ? institutionLabel(ctx, tenant) : undefined,
      onDenied: e => mount(body, errorBox(e)),
    });
    mount(body,
      h('p', { class: 'muted' }, 'Held by: ', me.records.map(r => institutionLabel(ctx, r.institution)).join(', ')),
      renderSummary(ctx.api, first.id, () => '#/me'), timeline.element);
    void timeline.reload();
  }).catch(e => mount(body, errorBox(e)));
  return () => timeline?.dispose();
}

/**
 * My patient summary (issue #20, "Print/PDF for the IPS"): the patient's own IPS as a person reads it — the same
 * document the download gives ({@code Patient/$summary}: their records at every institution they may see), shown
 * as the clinician redeeming a share code sees it, with Print (the print style leaves the app's controls out, so
 * "Save as PDF" gives the summary alone).
 */
export function renderMySummary(ctx: AppContext, outlet: HTMLElement): void {
  const body = h('div', { 'aria-busy': 'true' }, h('p', { class: 'muted' }, 'Loading…'));
  mount(outlet, h('section', { class: 'page my-summary' },
    h('a', { href: '#/me', class: 'back' }, '← Back to my record'),
    h('h1', { tabindex: '-1' }, 'My patient summary'), body));
  void ctx.api.get<Me>('api/me').then(async me => {
    const first = me.records[0];
    if (!first) {
      mount(body, h('p', { class: 'notice' }, 'No institution holds a record of you yet.'));
      return;
    }
    const doc = await ctx.api.request<DocBundle>('GET', `fhir/Patient/${encodeURIComponent(first.id)}/$summary`,
      undefined, 'application/fhir+json');
    const { patient, name } = ipsPatient(doc, first.name);
    mount(body, ipsArticle(ctx, doc, name, patient, first.institution,
      'Show it to a doctor, or print it (or save it as a PDF) for your own papers.'));
    document.title = `My patient summary: ${name} · Meridian EHR`;
  }).catch(e => mount(body, errorBox(e))).finally(() => body.removeAttribute('aria-busy'));
}
