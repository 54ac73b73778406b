import type { Bundle, OperationOutcome, Resource } from './fhir';

/** Supplies a fresh access token (refreshing it first when it is about to expire). */
export interface TokenSource {
  token(): Promise<string>;
}

/** A failed API call, with the server's own message(s): from a FHIR OperationOutcome or a JSON {code, message}. */
export class ApiError extends Error {
  constructor(readonly status: number, readonly messages: string[], readonly code?: string,
              readonly structured = false) {
    super(messages.join('; ') || `HTTP ${status}`);
  }

  /** True when the server said who we are does not allow this (not a missing endpoint). */
  get denied(): boolean {
    return this.status === 403 || (this.status === 404 && this.structured);
  }
}

export function messagesOf(body: unknown): { messages: string[]; code?: string } {
  if (!body || typeof body !== 'object') return { messages: [] };
  const b = body as Record<string, unknown>;
  if (b.resourceType === 'OperationOutcome') {
    const issues = ((b as unknown as OperationOutcome).issue ?? []);
    const messages = issues.map(i => i.diagnostics ?? i.details?.text ?? i.code ?? 'error');
    const code = messages.map(m => /\bEHR-\d{4}\b/.exec(m)?.[0]).find(Boolean);
    return { messages, code };
  }
  const message = typeof b.message === 'string' ? b.message : undefined;
  return { messages: message ? [message] : [], code: typeof b.code === 'string' ? b.code : undefined };
}

export type Query = Record<string, string | number | undefined | null>;

export function queryString(params: Query): string {
  const parts = Object.entries(params)
    .filter(([, v]) => v !== undefined && v !== null && v !== '')
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`);
  return parts.length ? `?${parts.join('&')}` : '';
}

/**
 * The one HTTP client of the app: every call carries the bearer token; errors become ApiError with the
 * server's message. URLs are relative to the page, so the app works under any context path.
 */
export class Api {
  constructor(private readonly tokens: TokenSource, private readonly base = '',
              private readonly fetchFn: typeof fetch = (...args) => fetch(...args),
              private readonly extraHeaders: Record<string, string> = {}) {
  }

  /**
   * The same client, asking the server for read-your-writes: searches and the timeline wait until the caller's
   * own writes are in the search mirror (X-Meridian-Consistency). Used right after recording something.
   */
  readYourWrites(): Api {
    return new Api(this.tokens, this.base, this.fetchFn,
      { ...this.extraHeaders, 'X-Meridian-Consistency': 'read-your-writes' });
  }

  async request<T>(method: string, path: string, body?: unknown, accept = 'application/json',
                   more: Record<string, string> = {}): Promise<T> {
    const headers: Record<string, string> = {
      ...this.extraHeaders, ...more,
      Authorization: `Bearer ${await this.tokens.token()}`,
      Accept: accept,
    };
    if (body !== undefined) headers['Content-Type'] = path.startsWith('fhir/') ? 'application/fhir+json' : 'application/json';
    // no-store: a clinical answer must never come from the browser's HTTP cache (after a revoked grant the read
    // must reach the server and be refused; HAPI's Last-Modified otherwise allows heuristic caching).
    const response = await this.fetchFn(this.base + path, {
      method, headers, body: body === undefined ? undefined : JSON.stringify(body), cache: 'no-store',
    });
    const text = await response.text();
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = undefined;
    }
    if (!response.ok) {
      const { messages, code } = messagesOf(parsed);
      throw new ApiError(response.status, messages.length ? messages : [`${response.status} ${response.statusText}`.trim()],
        code, parsed !== undefined);
    }
    return parsed as T;
  }

  get<T>(path: string): Promise<T> {
    return this.request<T>('GET', path);
  }

  /** A body that is not one JSON document (e.g. an ndjson error file), as text. */
  async text(path: string, accept = 'application/fhir+ndjson'): Promise<string> {
    const response = await this.fetchFn(this.base + path, { method: 'GET', cache: 'no-store',
      headers: { ...this.extraHeaders, Authorization: `Bearer ${await this.tokens.token()}`, Accept: accept } });
    const text = await response.text();
    if (!response.ok) {
      let parsed: unknown;
      try {
        parsed = text ? JSON.parse(text) : undefined;
      } catch {
        parsed = undefined;
      }
      const { messages, code } = messagesOf(parsed);
      throw new ApiError(response.status, messages.length ? messages : [`${response.status}`], code, parsed !== undefined);
    }
    return text;
  }

  post<T>(path: string, body: unknown): Promise<T> {
    return this.request<T>('POST', path, body);
  }

  // --- FHIR ------------------------------------------------------------------------------------------------

  search<R extends Resource = Resource>(type: string, params: Query): Promise<Bundle<R>> {
    return this.request<Bundle<R>>('GET', `fhir/${type}${queryString(params)}`, undefined, 'application/fhir+json');
  }

  read<R extends Resource = Resource>(type: string, id: string): Promise<R> {
    return this.request<R>('GET', `fhir/${type}/${encodeURIComponent(id)}`, undefined, 'application/fhir+json');
  }

  history<R extends Resource = Resource>(type: string, id: string): Promise<Bundle<R>> {
    return this.request<Bundle<R>>('GET', `fhir/${type}/${encodeURIComponent(id)}/_history`, undefined,
      'application/fhir+json');
  }

  /**
   * Updates a resource only if it is still at {@code version} (If-Match): a version stored meanwhile by someone
   * else is not overwritten (412, shown with the server's message).
   */
  update<R extends Resource>(resource: R, version: string): Promise<R> {
    return this.request<R>('PUT', `fhir/${resource.resourceType}/${encodeURIComponent(resource.id ?? '')}`, resource,
      'application/fhir+json', { 'If-Match': `W/"${version}"` });
  }

  create<R extends Resource>(resource: R): Promise<R> {
    return this.request<R>('POST', `fhir/${resource.resourceType}`, resource, 'application/fhir+json');
  }
}
