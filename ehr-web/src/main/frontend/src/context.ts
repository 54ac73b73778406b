import type { Api } from './api';
import type { User } from './auth';

export interface Institution {
  id: string;
  name: string;
  country: string;
  region?: string;
}

/** Active break-the-glass sessions, per patient, kept for this browser tab only. */
export class BreakGlassStore {
  private readonly key = 'meridian.breakGlass';
  constructor(private readonly storage: Storage = sessionStorage, private readonly now: () => number = Date.now) {
  }

  activate(patientId: string, expiresAt: string, reason: string): void {
    const all = this.all();
    all[patientId] = { expiresAt, reason };
    this.storage.setItem(this.key, JSON.stringify(all));
  }

  /** The active session for a patient, or undefined when there is none or it has expired. */
  active(patientId: string): { expiresAt: string; reason: string } | undefined {
    const s = this.all()[patientId];
    return s && Date.parse(s.expiresAt) > this.now() ? s : undefined;
  }

  private all(): Record<string, { expiresAt: string; reason: string }> {
    try {
      return JSON.parse(this.storage.getItem(this.key) ?? '{}');
    } catch {
      return {};
    }
  }
}

/** What every screen gets: the API client, the signed-in user, the institution registry, navigation. */
export interface AppContext {
  api: Api;
  user: User;
  institutions: Map<string, Institution>;
  breakGlass: BreakGlassStore;
  navigate(path: string): void;
}

export function institutionLabel(ctx: Pick<AppContext, 'institutions'>, id: string | undefined): string {
  if (!id) return '';
  const inst = ctx.institutions.get(id);
  return inst ? `${inst.name} (${inst.country})` : id;
}
