import Keycloak from 'keycloak-js';
import type { TokenSource } from './api';

/** What the server tells the app at runtime (GET ui-config.json, unauthenticated). */
export interface UiConfig {
  issuer: string;
  clientId: string;
}

/** The signed-in user, from the validated access token's claims. */
export interface User {
  username: string;
  name: string;
  tenant?: string;
  roles: string[];
  practitionerId?: string;
  personId?: string;
}

export interface Session extends TokenSource {
  user: User;
  logout(): void;
}

const MERIDIAN_ROLES = ['clinician', 'nurse', 'tenant-admin', 'platform-admin', 'patient', 'researcher'];
const RETURN_TO = 'meridian.returnTo';
/** Refresh the access token when it has less than this many seconds left. */
const MIN_VALIDITY_SECONDS = 30;

export async function loadConfig(fetchFn: typeof fetch = fetch): Promise<UiConfig> {
  const response = await fetchFn('ui-config.json', { cache: 'no-store' });
  if (!response.ok) throw new Error(`ui-config.json answered ${response.status}`);
  return response.json() as Promise<UiConfig>;
}

/** Splits an issuer URL (https://host/realms/meridian) into Keycloak's base URL and realm. */
export function keycloakLocation(issuer: string): { url: string; realm: string } {
  const m = /^(.*)\/realms\/([^/]+)\/?$/.exec(issuer);
  if (!m) throw new Error(`issuer ${issuer} is not a Keycloak realm URL`);
  return { url: m[1], realm: decodeURIComponent(m[2]) };
}

export function userFromClaims(claims: Record<string, unknown>): User {
  const groups = Array.isArray(claims.groups) ? claims.groups as string[] : [];
  const realmRoles = ((claims.realm_access as { roles?: string[] } | undefined)?.roles) ?? [];
  const roles = [...new Set([...groups, ...realmRoles])].filter(r => MERIDIAN_ROLES.includes(r));
  const username = String(claims.preferred_username ?? claims.upn ?? claims.sub ?? '');
  return {
    username,
    name: String(claims.name ?? username),
    tenant: claims.tenant as string | undefined,
    roles,
    practitionerId: claims.practitioner_id as string | undefined,
    personId: claims.person_id as string | undefined,
  };
}

/**
 * Signs in through Keycloak's login page (authorization code + PKCE S256, keycloak-js). The redirect URI is the
 * app's page without its hash route; the route is kept in sessionStorage across the round trip.
 */
export async function signIn(config: UiConfig): Promise<Session> {
  const { url, realm } = keycloakLocation(config.issuer);
  const keycloak = new Keycloak({ url, realm, clientId: config.clientId });
  const isCallback = new URLSearchParams(location.search).has('state');
  if (!isCallback && location.hash.startsWith('#/')) sessionStorage.setItem(RETURN_TO, location.hash);
  const page = location.origin + location.pathname;
  await keycloak.init({
    onLoad: 'login-required',
    pkceMethod: 'S256',
    responseMode: 'query',
    checkLoginIframe: false,
    redirectUri: page,
  });
  const returnTo = sessionStorage.getItem(RETURN_TO);
  sessionStorage.removeItem(RETURN_TO);
  if (returnTo && !location.hash.startsWith('#/')) history.replaceState(history.state, '', page + returnTo);
  keycloak.onTokenExpired = () => {
    keycloak.updateToken(MIN_VALIDITY_SECONDS).catch(() => keycloak.login());
  };
  return {
    user: userFromClaims((keycloak.tokenParsed ?? {}) as Record<string, unknown>),
    async token() {
      try {
        await keycloak.updateToken(MIN_VALIDITY_SECONDS);
      } catch {
        await keycloak.login();
      }
      return keycloak.token ?? '';
    },
    logout() {
      void keycloak.logout({ redirectUri: page });
    },
  };
}
