import { FakeServer, settle } from './fake-server';
import { cancellable, errorLines, renderImportJobs, type ImportJobRow } from '../src/views/admin-imports';
import { BreakGlassStore, type AppContext } from '../src/context';

function context(server: FakeServer): AppContext {
  return { api: server.api(), user: { username: 'dr.jansen', name: 'Dr Jansen', tenant: 'nl-amstel',
    roles: ['clinician'] }, institutions: new Map(), breakGlass: new BreakGlassStore(sessionStorage),
  navigate: () => {} };
}

const job = (d: Partial<ImportJobRow>): ImportJobRow => ({ id: 'aaaaaaaa-1111-2222-3333-444444444444',
  status: 'loading', created: '2026-12-06T19:00:00.123Z', committed: 4000, failed: 1, validated: 0, quarantined: 0,
  runs: 1, ...d });

describe('import jobs (admin console)', () => {
  it('offers cancel only for a job that has not ended and reads an error file line by line', () => {
    expect(cancellable(job({}))).toBe(true);
    expect(['complete', 'failed', 'cancelled'].map(s => cancellable(job({ status: s })))).toEqual([false, false, false]);
    expect(errorLines('{"resourceType":"OperationOutcome","issue":[{"diagnostics":"EHR-1010 line 3"}]}\n\nnot json\n'))
      .toEqual(['EHR-1010 line 3', 'not json']);
  });

  it('lists the jobs, shows a job\'s refused lines and cancels a running job', async () => {
    let status = 'loading';
    const server = new FakeServer()
      .on('GET', /\$import-jobs$/, () => ({ status: 200, body: { jobs: [job({ status }),
        job({ id: 'bbbbbbbb-0000-0000-0000-000000000000', status: 'complete', failed: 0 })] } }))
      .on('GET', /\$import-errors\?_jobId=aaaaaaaa/, { status: 200, contentType: 'application/fhir+ndjson',
        body: '{"resourceType":"OperationOutcome","issue":[{"diagnostics":"EHR-1010 Observation.ndjson line 7"}]}\n' })
      .on('DELETE', /\$import-poll-status\?_jobId=aaaaaaaa/, () => {
        status = 'cancelled';
        return { status: 202, body: { resourceType: 'OperationOutcome', issue: [] } };
      });
    const outlet = document.createElement('div');
    document.body.append(outlet);
    renderImportJobs(context(server), outlet, 60_000);
    await settle();
    const rows = outlet.querySelectorAll('#import-jobs tbody tr');
    expect(rows).toHaveLength(2);
    expect(rows[0].querySelector('.job-status')!.textContent).toBe('loading');
    expect(rows[1].querySelector('.cancel-job')).toBeNull();
    rows[0].querySelector<HTMLButtonElement>('.show-errors')!.click();
    await settle();
    expect(outlet.querySelector('#import-errors li')!.textContent).toBe('EHR-1010 Observation.ndjson line 7');
    globalThis.confirm = () => true;
    rows[0].querySelector<HTMLButtonElement>('.cancel-job')!.click();
    await settle();
    expect(server.calls.filter(c => c.method === 'DELETE')).toHaveLength(1);
    expect(outlet.querySelector('#import-jobs tbody tr .job-status')!.textContent).toBe('cancelled');
    expect(outlet.querySelector('#import-jobs tbody tr .cancel-job')).toBeNull();
    outlet.remove();
  });
});
