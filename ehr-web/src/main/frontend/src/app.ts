import { ADMIN_NAV, registerAdminRoutes } from './admin';
import { Api } from './api';
import type { Session } from './auth';
import { registerClinicianRoutes } from './clinician';
import { renderCohorts } from './views/cohorts';
import { renderAdminUsers } from './views/admin-users';
import { registerPortalRoutes } from './portal';
import { BreakGlassStore, type AppContext, type Institution } from './context';
import { h, mount } from './dom';
import { Router } from './router';

const COHORT_ROLES = ['tenant-admin', 'researcher', 'platform-admin'];
const USER_ADMIN_ROLES = ['tenant-admin', 'platform-admin'];

/** Navigation entries per feature; later features (portal, admin console) add theirs with their roles. */
const NAV: { href: string; label: string; roles: string[] }[] = [
  { href: '#/patients', label: 'My patients', roles: ['clinician', 'nurse'] },
  { href: '#/cohorts', label: 'Cohorts', roles: COHORT_ROLES },
  { href: '#/admin/users', label: 'Users', roles: USER_ADMIN_ROLES },
  { href: '#/share-code', label: 'Share code', roles: ['clinician', 'nurse'] },
  { href: '#/me', label: 'My record', roles: ['patient'] },
  { href: '#/me/access', label: 'Access grants', roles: ['patient'] },
  { href: '#/me/share', label: 'Share code', roles: ['patient'] },
  { href: '#/me/log', label: 'Who accessed my record', roles: ['patient'] },
  ...ADMIN_NAV,
];

export function landingFor(roles: string[]): string {
  if (roles.includes('clinician') || roles.includes('nurse')) return '/patients';
  if (COHORT_ROLES.some(r => roles.includes(r))) return '/cohorts';
  if (roles.includes('patient')) return '/me';
  return '/welcome';
}

async function loadInstitutions(api: Api): Promise<Map<string, Institution>> {
  try {
    const list = await api.get<Institution[]>('api/tenants');
    return new Map(list.map(i => [i.id, i]));
  } catch {
    return new Map();
  }
}

/** The application shell: header (who is signed in, where), navigation, the routed main region. */
export async function startApp(root: HTMLElement, session: Session): Promise<void> {
  const api = new Api(session);
  const user = session.user;
  const main = h('main', { id: 'main', tabindex: '-1' });
  const router = new Router(main, user.roles, () => landingFor(user.roles));
  const ctx: AppContext = {
    api, user, institutions: await loadInstitutions(api), breakGlass: new BreakGlassStore(),
    navigate: path => router.navigate(path),
  };
  const institution = user.tenant ? ctx.institutions.get(user.tenant) : undefined;
  const skip = h('a', { class: 'skip-link', href: '#main', onclick: (e: Event) => {
    e.preventDefault();
    main.focus();
  } }, 'Skip to content');
  mount(root, skip, h('header', { class: 'app-header' },
    h('a', { class: 'brand', href: `#${landingFor(user.roles)}` }, 'Meridian'),
    h('nav', { class: 'app-nav', 'aria-label': 'Main' },
      NAV.filter(n => n.roles.some(r => user.roles.includes(r))).map(n => h('a', { href: n.href }, n.label))),
    h('div', { class: 'who-am-i' },
      h('span', { class: 'user', 'data-user': user.username }, user.name),
      h('span', { class: 'muted' }, [user.roles.join(', '), institution ? `${institution.name} (${institution.country})`
        : user.tenant].filter(Boolean).join(' · ')),
      h('button', { type: 'button', class: 'link', onclick: () => session.logout() }, 'Sign out'))),
  main);
  registerClinicianRoutes(router, ctx);
  router.register({ path: '/cohorts', title: 'Cohorts', roles: COHORT_ROLES,
    render: ({ outlet }) => renderCohorts(ctx, outlet) });
  router.register({ path: '/admin/users', title: 'Users', roles: USER_ADMIN_ROLES,
    render: ({ outlet }) => renderAdminUsers(ctx, outlet) });
  registerPortalRoutes(router, ctx);
  registerAdminRoutes(router, ctx);
  router.register({ path: '/welcome', title: 'Welcome', render: ({ outlet }) => mount(outlet,
    h('section', { class: 'page' }, h('h1', null, `Welcome, ${user.name}`),
      h('p', null, 'The screens for your role are not available in this version yet.'))) });
  router.start();
}
