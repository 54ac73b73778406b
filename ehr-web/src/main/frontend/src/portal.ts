import type { AppContext } from './context';
import type { Router } from './router';
import { renderAccessLog } from './views/portal-log';
import { renderGrants } from './views/portal-grants';
import { renderMyRecord, renderMySummary } from './views/portal-record';
import { renderShareCodes } from './views/portal-share';
import { renderRedeem } from './views/redeem';

/** The patient portal (issue 7), and the clinician's side of share codes. */
export function registerPortalRoutes(router: Router, ctx: AppContext): void {
  const patient = ['patient'];
  router
    .register({ path: '/me', title: 'My record', roles: patient, render: ({ outlet }) => renderMyRecord(ctx, outlet) })
    .register({ path: '/me/summary', title: 'My patient summary', roles: patient,
      render: ({ outlet }) => renderMySummary(ctx, outlet) })
    .register({ path: '/me/access', title: 'Access grants', roles: patient,
      render: ({ outlet }) => renderGrants(ctx, outlet) })
    .register({ path: '/me/share', title: 'Share code', roles: patient,
      render: ({ outlet }) => renderShareCodes(ctx, outlet) })
    .register({ path: '/me/log', title: 'Who accessed my record', roles: patient,
      render: ({ outlet, query }) => renderAccessLog(ctx, outlet, query) })
    .register({ path: '/share-code', title: 'Share code', roles: ['clinician', 'nurse'],
      render: ({ outlet }) => renderRedeem(ctx, outlet) });
}
