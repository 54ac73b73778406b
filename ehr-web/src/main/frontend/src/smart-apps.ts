import type { Api } from './api';
import { h, mount } from './dom';

/** A SMART app the chart can launch (ADR 0028). */
export interface SmartApp {
  clientId: string;
  name: string;
}

/**
 * The apps the Apps menu offers: the one place that asks (GET api/smart/apps), so that the app registry can
 * replace the list behind it.
 */
export async function listApps(api: Api): Promise<SmartApp[]> {
  return (await api.get<{ apps: SmartApp[] }>('api/smart/apps')).apps ?? [];
}

/**
 * An EHR launch: the server checks that the clinician may read the patient (and the encounter, launched from one:
 * ADR 0032), audits it and signs a launch for this app; the answer is the app's launch URL with `launch` and `iss`.
 */
export async function launchApp(api: Api, clientId: string, patientId: string, encounterId?: string):
  Promise<string> {
  const body: Record<string, string> = { app: clientId, patient: patientId };
  if (encounterId) body.encounter = encounterId;
  return (await api.post<{ url: string }>('api/smart/launches', body)).url;
}

/**
 * The chart's "Apps" menu: lists the apps when opened, and opens the chosen one in a new window with its launch
 * for this patient — and, on an Encounter's page, that encounter.
 */
export function appsMenu(api: Api, patientId: string,
                         open: (url: string) => void = url => { window.open(url, '_blank', 'noopener'); },
                         encounterId?: string): HTMLElement {
  const list = h('ul', { class: 'apps-list', role: 'menu' });
  const status = h('p', { class: 'apps-status', role: 'status' });
  let loaded = false;
  const menu = h('details', { class: 'apps-menu' },
    h('summary', { class: 'button' }, 'Apps'), list, status);
  menu.addEventListener('toggle', () => {
    if (!(menu as HTMLDetailsElement).open || loaded) return;
    loaded = true;
    status.textContent = 'Loading apps…';
    listApps(api).then(apps => {
      status.textContent = apps.length ? '' : 'No apps are registered.';
      mount(list, apps.map(app => h('li', { role: 'none' },
        h('button', { type: 'button', role: 'menuitem', 'data-client': app.clientId, onclick: async () => {
          status.textContent = `Opening ${app.name}…`;
          try {
            open(await launchApp(api, app.clientId, patientId, encounterId));
            status.textContent = '';
          } catch (e) {
            status.textContent = `Could not open ${app.name}: ${e instanceof Error ? e.message : String(e)}`;
          }
        } }, app.name))));
    }).catch(e => {
      loaded = false;
      status.textContent = `Apps could not be loaded: ${e instanceof Error ? e.message : String(e)}`;
    });
  });
  return menu;
}
