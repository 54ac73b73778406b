import type { AppContext } from './context';
import type { Router } from './router';
import { renderChart } from './views/chart';
import { renderEntry } from './views/entry';
import { renderFlowsheet } from './views/flowsheet';
import { renderPatients } from './views/patients';
import { RECORD_KINDS, renderRecord, type RecordKind } from './views/record';

const CLINICAL = ['clinician', 'nurse'];

/** The clinician's chart review (issue 6). The patient portal and the admin console register theirs alike. */
export function registerClinicianRoutes(router: Router, ctx: AppContext): void {
  router
    .register({ path: '/patients', title: 'My patients', roles: CLINICAL, render: ({ outlet, query }) =>
      renderPatients(ctx, outlet, { name: query.get('name') ?? undefined }) })
    .register({ path: '/patients/:id', title: 'Chart', roles: CLINICAL, render: ({ outlet, params, query }) =>
      renderChart(ctx, outlet, params.id, query) })
    .register({ path: '/patients/:id/flowsheet', title: 'Flowsheet', roles: CLINICAL,
      render: ({ outlet, params }) => renderFlowsheet(ctx, outlet, params.id) })
    .register({ path: '/patients/:id/entry/:type/:entryId', title: 'Entry', roles: CLINICAL,
      render: ({ outlet, params }) => renderEntry(ctx, outlet, params.id, params.type, params.entryId) })
    .register({ path: '/patients/:id/record/:kind', title: 'Record', roles: CLINICAL,
      render: ({ outlet, params }) => {
        if (params.kind in RECORD_KINDS) renderRecord(ctx, outlet, params.id, params.kind as RecordKind);
        else outlet.textContent = 'There is no such form.';
      } });
}
