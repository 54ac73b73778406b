import type { AppContext } from './context';
import type { Router } from './router';
import { renderAdminApps } from './views/admin-apps';
import { renderAuditSearch } from './views/admin-audit';
import { renderBreakGlassReview } from './views/admin-breakglass';
import { renderCareTeams } from './views/admin-careteams';
import { renderImportJobs } from './views/admin-imports';
import { renderTenants } from './views/admin-tenants';
import './admin.css';

/** The admin console's screens (issue #8) other than cohorts and users, with their header navigation entries. */
export const ADMIN_NAV: { href: string; label: string; roles: string[] }[] = [
  { href: '#/admin/care-teams', label: 'Care teams', roles: ['tenant-admin'] },
  { href: '#/admin/break-glass', label: 'Break-the-glass', roles: ['tenant-admin'] },
  { href: '#/admin/audit', label: 'Audit trail', roles: ['tenant-admin', 'platform-admin'] },
  { href: '#/admin/imports', label: 'Import jobs', roles: ['tenant-admin', 'clinician'] },
  { href: '#/admin/tenants', label: 'Institutions', roles: ['platform-admin'] },
  { href: '#/admin/apps', label: 'Apps', roles: ['tenant-admin'] },
];

export function registerAdminRoutes(router: Router, ctx: AppContext): void {
  router.register({ path: '/admin/care-teams', title: 'Care teams', roles: ['tenant-admin'],
    render: ({ outlet }) => renderCareTeams(ctx, outlet) });
  router.register({ path: '/admin/break-glass', title: 'Break-the-glass review', roles: ['tenant-admin'],
    render: ({ outlet }) => renderBreakGlassReview(ctx, outlet) });
  router.register({ path: '/admin/audit', title: 'Audit trail', roles: ['tenant-admin', 'platform-admin'],
    render: ({ outlet }) => renderAuditSearch(ctx, outlet) });
  router.register({ path: '/admin/imports', title: 'Import jobs', roles: ['tenant-admin', 'clinician'],
    render: ({ outlet }) => renderImportJobs(ctx, outlet) });
  router.register({ path: '/admin/tenants', title: 'Institutions', roles: ['platform-admin'],
    render: ({ outlet }) => renderTenants(ctx, outlet) });
  router.register({ path: '/admin/apps', title: 'SMART apps', roles: ['tenant-admin'],
    render: ({ outlet }) => renderAdminApps(ctx, outlet) });
}
