import { Api } from '../src/api';

export interface Call {
  method: string;
  url: string;
  body?: unknown;
  authorization?: string;
}

type Reply = { status: number; body?: unknown; contentType?: string };
type Handler = (call: Call) => Reply | undefined;

/** An in-memory HTTP server for component tests: routes by method + URL, records every call. */
export class FakeServer {
  readonly calls: Call[] = [];
  private readonly handlers: Handler[] = [];

  on(method: string, urlPattern: RegExp, reply: Reply | ((call: Call) => Reply)): this {
    this.handlers.unshift(call => call.method === method && urlPattern.test(call.url)
      ? (typeof reply === 'function' ? reply(call) : reply) : undefined);
    return this;
  }

  api(): Api {
    return new Api({ token: async () => 'test-token' }, '', this.fetch);
  }

  readonly fetch: typeof fetch = async (input, init) => {
    const headers = (init?.headers ?? {}) as Record<string, string>;
    const call: Call = { method: init?.method ?? 'GET', url: String(input),
      body: init?.body ? JSON.parse(String(init.body)) : undefined, authorization: headers.Authorization };
    this.calls.push(call);
    const reply = this.handlers.map(h => h(call)).find(Boolean) ?? { status: 404, body: undefined };
    const text = reply.body === undefined ? '' : typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body);
    return new Response(text, { status: reply.status, headers: { 'Content-Type': reply.contentType ?? 'application/json' } });
  };

  urls(pattern: RegExp): string[] {
    return this.calls.map(c => c.url).filter(u => pattern.test(u));
  }
}

export async function settle(ms = 0): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise(r => setTimeout(r, ms));
}
