import type { AppContext } from '../context';
import { h, mount } from '../dom';
import { errorBox } from './patients';

/** One bulk import job as `GET fhir/$import-jobs` lists it (the institution's recent jobs, newest first). */
export interface ImportJobRow {
  id: string;
  status: string;
  created: string;
  committed: number;
  failed: number;
  validated: number;
  quarantined: number;
  runs: number;
}

const ACTIVE = new Set(['queued', 'loading', 'validating']);

/** Whether a job can still be cancelled (it has not ended). */
export function cancellable(job: ImportJobRow): boolean {
  return ACTIVE.has(job.status);
}

/** The line numbers and messages of an error file (ndjson of OperationOutcomes), one entry per refused line. */
export function errorLines(ndjson: string): string[] {
  return ndjson.split('\n').filter(l => l.trim()).map(l => {
    try {
      const o = JSON.parse(l) as { issue?: { diagnostics?: string }[] };
      return o.issue?.map(i => i.diagnostics ?? '').join('; ') ?? l;
    } catch {
      return l;
    }
  });
}

/**
 * Bulk import jobs of the institution (issue #22), for its importers: status, progress (resources stored, lines
 * refused, validated, quarantined), the error file of each job, and cancel for a job that has not ended. The list
 * refreshes every few seconds while a job is active.
 */
export function renderImportJobs(ctx: AppContext, outlet: HTMLElement, refreshMs = 3000): void {
  const status = h('div', { 'aria-live': 'polite' });
  const list = h('div');
  const errors = h('div', { id: 'import-errors' });
  mount(outlet, h('section', { class: 'page admin' }, h('h1', { tabindex: '-1' }, 'Import jobs'),
    h('p', { class: 'muted' }, 'Bulk imports ($import, ./meridian import) into this institution: what each job '
      + 'stored, which lines it refused, and its background validation.'), status, list, errors));
  let timer: ReturnType<typeof setTimeout> | undefined;

  async function load(): Promise<void> {
    if (!outlet.isConnected && timer !== undefined) return;
    try {
      const { jobs } = await ctx.api.get<{ jobs: ImportJobRow[] }>('fhir/$import-jobs');
      mount(list, jobs.length === 0 ? h('p', { class: 'muted' }, 'No import jobs yet.') : table(jobs));
      if (jobs.some(cancellable)) timer = setTimeout(() => void load(), refreshMs);
    } catch (e) {
      mount(list, errorBox(e));
    }
  }

  function table(jobs: ImportJobRow[]): HTMLElement {
    return h('table', { class: 'grid', id: 'import-jobs' },
      h('caption', { class: 'visually-hidden' }, 'Import jobs'),
      h('thead', null, h('tr', null, ['Started', 'Job', 'Status', 'Stored', 'Refused', 'Validated', 'Quarantined',
        'Runs', ''].map(t => h('th', { scope: 'col' }, t)))),
      h('tbody', null, jobs.map(j => h('tr', { 'data-job': j.id },
        h('td', null, j.created.replace('T', ' ').replace(/\.\d+Z$/, 'Z')), h('td', { class: 'mono' }, j.id.slice(0, 8)),
        h('td', { class: 'job-status' }, j.status), h('td', null, String(j.committed)),
        h('td', null, j.failed > 0 ? h('button', { type: 'button', class: 'link show-errors',
          onclick: () => void showErrors(j) }, `${j.failed} (show)`) : '0'),
        h('td', null, String(j.validated)), h('td', null, String(j.quarantined)), h('td', null, String(j.runs)),
        h('td', null, cancellable(j) ? h('button', { type: 'button', class: 'cancel-job',
          onclick: () => void cancel(j) }, 'Cancel') : '')))));
  }

  async function showErrors(j: ImportJobRow): Promise<void> {
    try {
      const lines = errorLines(await ctx.api.text(`fhir/$import-errors?_jobId=${encodeURIComponent(j.id)}`));
      mount(errors, h('h2', null, `Refused lines of job ${j.id.slice(0, 8)}`),
        h('ol', { class: 'import-error-lines' }, lines.map(l => h('li', null, l))));
    } catch (e) {
      mount(errors, errorBox(e));
    }
  }

  async function cancel(j: ImportJobRow): Promise<void> {
    if (!confirm(`Cancel import job ${j.id.slice(0, 8)}? What it stored so far stays.`)) return;
    try {
      await ctx.api.request('DELETE', `fhir/$import-poll-status?_jobId=${encodeURIComponent(j.id)}`);
      mount(status, h('p', null, `Import job ${j.id.slice(0, 8)} cancelled.`));
    } catch (e) {
      mount(status, errorBox(e));
    }
    if (timer !== undefined) clearTimeout(timer);
    await load();
  }

  void load();
}
