import type { Api } from '../api';
import { institutionLabel, type AppContext } from '../context';
import { h, mount } from '../dom';
import { codeText, custodianOf, formatDateTime, quantityText, resources, type CodeableConcept, type Quantity,
  type Resource } from '../fhir';
import { errorBox } from './patients';

/** "valueQuantity" → "Value quantity", "clinicalStatus" → "Clinical status". */
export function humanize(key: string): string {
  return key.replace(/([a-z])([A-Z])/g, '$1 $2').replace(/^./, c => c.toUpperCase()).replace(/ ([A-Z])/g,
    (_m, c: string) => ` ${c.toLowerCase()}`);
}

function isCodeable(v: unknown): v is CodeableConcept {
  return !!v && typeof v === 'object' && ('coding' in (v as object) || ('text' in (v as object)
    && Object.keys(v as object).length === 1));
}

function isQuantity(v: unknown): v is Quantity {
  return !!v && typeof v === 'object' && 'value' in (v as object) && typeof (v as Quantity).value === 'number';
}

const SKIP = new Set(['resourceType', 'id', 'meta', 'text']);

/** Any FHIR value as readable HTML: codes as their display (with code), quantities with units, nested as lists. */
export function renderValue(value: unknown, depth = 0): HTMLElement | string {
  if (value === null || value === undefined) return '';
  if (typeof value !== 'object') {
    const s = String(value);
    return /^\d{4}-\d{2}-\d{2}T/.test(s) ? formatDateTime(s) : s;
  }
  if (Array.isArray(value)) {
    if (value.length === 1) return renderValue(value[0], depth);
    return h('ol', { class: 'values-list' }, value.map(v => h('li', null, renderValue(v, depth + 1))));
  }
  if (isQuantity(value)) return quantityText(value);
  if (isCodeable(value)) {
    const text = codeText(value);
    // Show the codes next to the text, unless the text is just the code itself (e.g. a status).
    const codes = (value.coding ?? []).filter(c => c.code && c.code !== text)
      .map(c => [c.system?.split('/').pop(), c.code].filter(Boolean).join(' ')).join(', ');
    return h('span', null, text || '(coded)', codes ? h('span', { class: 'muted code' }, ` ${codes}`) : null);
  }
  const obj = value as Record<string, unknown>;
  if (typeof obj.reference === 'string' && Object.keys(obj).every(k => k === 'reference' || k === 'display')) {
    return obj.display ? `${obj.display} (${obj.reference})` : obj.reference;
  }
  if (obj.contentType && typeof obj.data === 'string' && String(obj.contentType).startsWith('text/')) {
    return h('pre', { class: 'note-text' }, decodeBase64(obj.data));
  }
  return definitionList(obj, depth + 1);
}

function decodeBase64(data: string): string {
  try {
    return new TextDecoder().decode(Uint8Array.from(atob(data), c => c.charCodeAt(0)));
  } catch {
    return data;
  }
}

export function definitionList(resource: Record<string, unknown>, depth = 0): HTMLElement {
  return h('dl', { class: `kv depth-${Math.min(depth, 3)}` }, Object.entries(resource)
    .filter(([k]) => depth > 0 || !SKIP.has(k))
    .map(([k, v]) => [h('dt', null, humanize(k)), h('dd', null, renderValue(v, depth))]));
}

export async function loadHistory(api: Api, type: string, id: string): Promise<Resource[]> {
  const versions = resources(await api.history(type, id));
  return versions.sort((a, b) => Number(b.meta?.versionId ?? 0) - Number(a.meta?.versionId ?? 0));
}

/** Entry detail: the FHIR resource rendered readably, its provenance (custodian, versions) and history. */
export function renderEntry(ctx: AppContext, outlet: HTMLElement, patientId: string, type: string, id: string):
  void {
  const body = h('div', { 'aria-busy': 'true' }, h('p', { class: 'muted' }, 'Loading…'));
  const history = h('div', { 'aria-busy': 'true' });
  const back = h('a', { href: `#/patients/${encodeURIComponent(patientId)}`, class: 'back' }, '← Back to the chart');
  const heading = h('h1', { tabindex: '-1' }, `${type}`);
  mount(outlet, h('section', { class: 'page entry-detail' }, back, heading,
    h('div', { class: 'entry-columns' }, h('article', { class: 'card', 'aria-label': 'Resource' }, body),
      h('aside', { class: 'card', 'aria-labelledby': 'hist-title' }, h('h2', { id: 'hist-title' }, 'Version history'),
        history))));
  heading.focus();

  void ctx.api.read(type, id).then(resource => {
    heading.textContent = `${type}: ${codeText(resource.code as CodeableConcept) || codeText(
      resource.type as CodeableConcept) || id}`;
    const custodian = custodianOf(resource);
    mount(body, h('p', { class: 'provenance' },
      `Version ${resource.meta?.versionId ?? '?'} · last updated ${formatDateTime(resource.meta?.lastUpdated)}`,
      custodian ? ` · held by ${institutionLabel(ctx, custodian)}` : ''),
      definitionList(resource),
      h('details', { class: 'raw' }, h('summary', null, 'FHIR JSON'),
        h('pre', null, JSON.stringify(resource, null, 2))));
  }).catch(e => mount(body, errorBox(e))).finally(() => body.removeAttribute('aria-busy'));

  void loadHistory(ctx.api, type, id).then(versions => mount(history, versions.length
    ? h('ol', { class: 'history' }, versions.map(v => h('li', null,
      h('strong', null, `v${v.meta?.versionId ?? '?'}`), ' ', formatDateTime(v.meta?.lastUpdated),
      h('details', null, h('summary', null, 'Show this version'), definitionList(v)))))
    : h('p', { class: 'muted' }, 'No history.')))
    .catch(e => mount(history, errorBox(e))).finally(() => history.removeAttribute('aria-busy'));
}
