import type { AppContext } from '../context';
import { institutionLabel } from '../context';
import { h, mount } from '../dom';
import { renderSummary } from './summary';
import { TimelineView } from './timeline';
import { errorBox } from './patients';

interface Me {
  records: { id: string; institution: string; name: string }[];
}

/** My record: the summary and timeline of the patient's own data from every institution, and the exports. */
export function renderMyRecord(ctx: AppContext, outlet: HTMLElement): () => void {
  const body = h('div', { class: 'chart-body' }, h('p', { class: 'muted', 'aria-busy': 'true' }, 'Loading…'));
  const exports = h('div', { class: 'record-actions' },
    h('button', { type: 'button', id: 'export-record', onclick: () => void download('api/me/export', 'my-record.json') },
      'Download my complete record (FHIR)'),
    h('button', { type: 'button', id: 'export-summary', disabled: true }, 'Download my patient summary (IPS)'));
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
