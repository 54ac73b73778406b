/**
 * Hash routing (#/patients/123): the page URL itself never changes, so the app works under any context path
 * and the OAuth redirect URI stays one fixed page. Features register their routes (clinician chart review here;
 * the patient portal and the admin console add theirs), each with the roles that may open it.
 */
export interface RouteContext {
  params: Record<string, string>;
  query: URLSearchParams;
  outlet: HTMLElement;
}

/** Renders into the outlet; may return a cleanup that runs when the route is left. */
export type RouteRender = (ctx: RouteContext) => void | (() => void);

export interface Route {
  path: string;
  title: string;
  roles?: string[];
  render: RouteRender;
}

interface Compiled extends Route {
  regex: RegExp;
  names: string[];
}

export function compile(route: Route): Compiled {
  const names: string[] = [];
  const source = route.path.split('/').map(part => {
    if (part.startsWith(':')) {
      names.push(part.slice(1));
      return '([^/]+)';
    }
    return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }).join('/');
  return { ...route, regex: new RegExp(`^${source}/?$`), names };
}

export function match(routes: Compiled[], hash: string): { route: Compiled; params: Record<string, string>;
  query: URLSearchParams } | undefined {
  const raw = hash.replace(/^#/, '') || '/';
  const [path, search = ''] = raw.split('?');
  for (const route of routes) {
    const m = route.regex.exec(path);
    if (m) {
      const params: Record<string, string> = {};
      route.names.forEach((n, i) => { params[n] = decodeURIComponent(m[i + 1]); });
      return { route, params, query: new URLSearchParams(search) };
    }
  }
  return undefined;
}

export class Router {
  private readonly routes: Compiled[] = [];
  private cleanup: (() => void) | undefined;

  constructor(private readonly outlet: HTMLElement, private readonly roles: string[],
              private readonly fallback: () => string) {
  }

  register(route: Route): this {
    this.routes.push(compile(route));
    return this;
  }

  start(): void {
    window.addEventListener('hashchange', () => this.render());
    this.render();
  }

  navigate(path: string): void {
    if (location.hash === `#${path}`) this.render();
    else location.hash = path;
  }

  allowed(route: Route): boolean {
    return !route.roles || route.roles.some(r => this.roles.includes(r));
  }

  private render(): void {
    if (!location.hash.startsWith('#/')) {
      location.replace(`#${this.fallback()}`);
      return;
    }
    const found = match(this.routes, location.hash);
    this.cleanup?.();
    this.cleanup = undefined;
    this.outlet.replaceChildren();
    if (!found || !this.allowed(found.route)) {
      const p = document.createElement('p');
      p.className = 'notice';
      p.textContent = found ? 'Your role does not give access to this screen.' : 'There is no such screen.';
      this.outlet.appendChild(p);
      document.title = 'Meridian EHR';
      return;
    }
    document.title = `${found.route.title} · Meridian EHR`;
    this.cleanup = found.route.render({ params: found.params, query: found.query, outlet: this.outlet }) ?? undefined;
  }
}
