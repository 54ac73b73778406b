/** The app registry's screen model (issue #23, ADR 0031): drafts, their validation and the request bodies. */

export type AppKind = 'public' | 'confidential' | 'backend';

/** An app as GET api/admin/apps lists it (`AppRegistryResource.AppView`). */
export interface AppView {
  clientId: string;
  name: string;
  kind: AppKind;
  redirectUris: string[];
  scopes: string[];
  hasKeys: boolean;
  registeredAt: string;
  revokedAt: string | null;
}

/** The answer to a registration: a confidential app's secret is shown once. */
export interface RegisteredView { app: AppView; secret: string | null }

export interface AppDraft {
  clientId: string;
  name: string;
  kind: AppKind;
  /** One per line. */
  redirectUris: string;
  /** Space- or line-separated. */
  scopes: string;
  jwks: string;
}

export type AppField = 'clientId' | 'name' | 'kind' | 'redirectUris' | 'scopes' | 'jwks';
export type AppErrors = Partial<Record<AppField, string>>;

export const KIND_LABELS: Record<AppKind, string> = {
  public: 'Public (browser or mobile app, PKCE)',
  confidential: 'Confidential (server with a client secret)',
  backend: 'Backend service (client credentials, signed JWT)',
};

/** The server's codes (EHR-1171..1178) by the field they concern. */
export const APP_FIELD_OF_CODE: Record<string, AppField> = {
  'EHR-1171': 'clientId', 'EHR-1178': 'clientId', 'EHR-1172': 'kind', 'EHR-1173': 'name', 'EHR-1174': 'jwks',
  'EHR-1175': 'redirectUris', 'EHR-1176': 'redirectUris', 'EHR-1177': 'scopes',
};

export function emptyAppDraft(): AppDraft {
  return { clientId: '', name: '', kind: 'public', redirectUris: '', scopes: 'openid launch patient/*.rs', jwks: '' };
}

const words = (text: string) => text.split(/\s+/).map(w => w.trim()).filter(Boolean);

/** What the form can say before asking the server (which decides everything again). */
export function validateApp(d: AppDraft): AppErrors {
  const errors: AppErrors = {};
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{2,99}$/.test(d.clientId.trim()) || d.clientId.trim().startsWith('meridian-')) {
    errors.clientId = 'A client id has 3 to 100 letters, digits, ".", "_" or "-" and does not start with meridian-.';
  }
  if (!d.name.trim()) errors.name = 'Give the app a name: it is what patients see in their access log.';
  if (d.kind !== 'backend' && words(d.redirectUris).length === 0) {
    errors.redirectUris = 'A browser or server app needs at least one redirect URI.';
  }
  const scopes = words(d.scopes);
  if (d.kind === 'backend' && scopes.some(s => !s.startsWith('system/'))) {
    errors.scopes = 'A backend service asks for system/ scopes only.';
  }
  if (d.kind !== 'backend' && scopes.some(s => s.startsWith('system/'))) {
    errors.scopes = 'system/ scopes are for backend services only.';
  }
  if (d.kind === 'backend') {
    try {
      const keys = (JSON.parse(d.jwks) as { keys?: unknown }).keys;
      if (!Array.isArray(keys) || keys.length === 0) errors.jwks = 'Paste the JWKS: {"keys": [...]}.';
    } catch {
      errors.jwks = 'Paste the app\'s public keys as a JWKS (JSON).';
    }
  }
  return errors;
}

/** The body of POST api/admin/apps. */
export function toRegistration(d: AppDraft): Record<string, unknown> {
  return { clientId: d.clientId.trim(), name: d.name.trim(), kind: d.kind,
    redirectUris: d.kind === 'backend' ? [] : words(d.redirectUris), scopes: words(d.scopes),
    jwks: d.kind === 'backend' ? d.jwks.trim() : null };
}
