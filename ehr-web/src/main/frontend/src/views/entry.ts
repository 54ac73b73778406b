import { appsMenu } from '../smart-apps';
import type { Api } from '../api';
import { institutionLabel, type AppContext } from '../context';
import { h, mount, type Child } from '../dom';
import { codeText, custodianOf, formatDateTime, observationValueText, quantityText, resources,
  type CodeableConcept, type Observation, type Patient, type Quantity, type Reference, type Resource } from '../fhir';
import { categoryLabel, CATEGORY_LABELS } from '../timeline-model';
import { bannerDetails, patientIdentity, patientTitle } from './patient-banner';
import { errorBox } from './patients';
import { entryActions, errorMarker } from './entry-actions';
import { encounterIdOf, isEnteredInError } from '../record-builders';
import { encounterPlace, type Encounter } from '../encounters';
import { codeLabel } from '../terminology';

/** "valueQuantity" → "Value quantity", "clinicalStatus" → "Clinical status". */
export function humanize(key: string): string {
  return key.replace(/([a-z])([A-Z])/g, '$1 $2').replace(/^./, c => c.toUpperCase()).replace(/ ([A-Z])/g,
    (_m, c: string) => ` ${c.toLowerCase()}`);
}

/** What a resource type is called on screen. */
const KIND: Record<string, string> = {
  Observation: 'Observation', Condition: 'Problem / diagnosis', MedicationRequest: 'Medication order',
  MedicationStatement: 'Medication statement', MedicationAdministration: 'Medication given',
  AllergyIntolerance: 'Allergy / intolerance', Procedure: 'Procedure', Immunization: 'Immunization',
  DiagnosticReport: 'Report', DocumentReference: 'Document', Encounter: 'Encounter', CarePlan: 'Care plan',
  CareTeam: 'Care team', ImagingStudy: 'Imaging study', Device: 'Device', Claim: 'Claim',
  ExplanationOfBenefit: 'Explanation of benefit', SupplyDelivery: 'Supply delivery',
};

export function kindOf(type: string): string {
  return KIND[type] ?? humanize(type);
}

/** An observation's kind by its category (US Core / FHIR observation-category codes), as a clinician names it. */
const OBSERVATION_KIND: Record<string, string> = {
  laboratory: 'Laboratory result', 'vital-signs': 'Vital sign', 'social-history': 'Social history',
  survey: 'Questionnaire score', exam: 'Examination finding', imaging: 'Imaging result',
  procedure: 'Procedure result', therapy: 'Therapy observation', activity: 'Activity',
};

/** What this entry is called on screen: an observation by its category ("Vital sign"), others by their type. */
export function kindOfResource(r: Resource): string {
  if (r.resourceType === 'Observation') {
    const codes = arr<CodeableConcept>((r as R).category).flatMap(c => c.coding ?? []).map(c => c.code ?? '');
    const named = codes.map(c => OBSERVATION_KIND[c]).find(Boolean);
    if (named) return named;
  }
  return kindOf(r.resourceType);
}

type R = Record<string, unknown>;

const concept = (v: unknown) => codeText(v as CodeableConcept | undefined);
const status = (v: unknown) => concept(v) || (v as CodeableConcept | undefined)?.coding?.[0]?.code || '';
const arr = <T>(v: unknown): T[] => (Array.isArray(v) ? v as T[] : v === undefined || v === null ? [] : [v as T]);

function referenceText(ref: Reference | undefined): string {
  if (!ref) return '';
  return ref.display ?? ref.reference ?? '';
}

/** The entry's title: its code's display (or the medication, vaccine, type...), never an id. */
export function entryTitle(r: Resource): string {
  const x = r as R;
  return concept(x.code) || concept(x.medicationCodeableConcept) || concept(x.vaccineCode)
    || arr<CodeableConcept>(x.type).map(concept).find(Boolean) || (x.description as string | undefined)
    || (x.title as string | undefined) || kindOf(r.resourceType);
}

function period(v: unknown): string {
  const p = v as { start?: string; end?: string } | undefined;
  if (!p?.start && !p?.end) return '';
  return `${formatDateTime(p.start) || '?'} – ${formatDateTime(p.end) || 'ongoing'}`;
}

function when(x: R): [string, string][] {
  const rows: [string, string | undefined][] = [
    ['When', formatDateTime((x.effectiveDateTime ?? x.occurrenceDateTime ?? x.performedDateTime) as string)],
    ['When', period(x.effectivePeriod ?? x.performedPeriod ?? x.period ?? x.billablePeriod)],
    ['Onset', formatDateTime(x.onsetDateTime as string)],
    ['Abatement', formatDateTime(x.abatementDateTime as string)],
    ['Ordered', formatDateTime(x.authoredOn as string)],
    ['Recorded', formatDateTime(x.recordedDate as string)],
    ['Issued', formatDateTime(x.issued as string)],
    ['Date', formatDateTime(x.date as string)],
    ['Created', formatDateTime(x.created as string)],
  ];
  return rows.filter((r): r is [string, string] => !!r[1]);
}

function people(x: R): [string, string][] {
  const rows: [string, Reference[]][] = [
    ['Performer', arr<Reference | { actor?: Reference }>(x.performer)
      .map(p => ('actor' in (p as object) ? (p as { actor?: Reference }).actor : p as Reference) ?? {})],
    ['Recorded by', arr<Reference>(x.recorder)], ['Asserted by', arr<Reference>(x.asserter)],
    ['Ordered by', arr<Reference>(x.requester)], ['Author', arr<Reference>(x.author)],
    ['Service provider', arr<Reference>(x.serviceProvider)],
  ];
  return rows.map(([label, refs]) => [label, refs.map(referenceText).filter(Boolean).join(', ')] as [string, string])
    .filter(([, v]) => !!v);
}

function rangeText(o: Observation): string {
  return (o.referenceRange ?? []).map(r => r.text ?? [r.low, r.high].map(q => quantityText(q as Quantity)).join('–'))
    .filter(t => t && t !== '–').join('; ');
}

function decodeBase64(data: string): string {
  try {
    return new TextDecoder().decode(Uint8Array.from(atob(data), c => c.charCodeAt(0)));
  } catch {
    return data;
  }
}

const BLOCKS = new Set(['P', 'DIV', 'BR', 'LI', 'TR', 'H1', 'H2', 'H3', 'H4', 'H5', 'H6', 'TABLE', 'UL', 'OL',
  'SECTION', 'ARTICLE', 'HEADER', 'FOOTER', 'BLOCKQUOTE', 'PRE', 'HR']);

/**
 * An HTML note as readable text (issue #20): parsed inertly (DOMParser runs no script and loads nothing), scripts,
 * styles and templates dropped, block elements on their own lines, list items bulleted. Nothing of the note is ever
 * inserted as HTML, so no markup in a note can act in the app.
 */
export function htmlToText(html: string): string {
  const doc = new DOMParser().parseFromString(html, 'text/html');
  doc.querySelectorAll('script, style, template, noscript, iframe, object').forEach(n => n.remove());
  const out: string[] = [];
  const walk = (node: Node) => {
    if (node.nodeType === Node.TEXT_NODE) {
      out.push((node.textContent ?? '').replace(/\s+/g, ' '));
      return;
    }
    if (node.nodeType !== Node.ELEMENT_NODE) return;
    const tag = (node as Element).tagName;
    if (BLOCKS.has(tag)) out.push('\n');
    if (tag === 'LI') out.push('• ');
    node.childNodes.forEach(walk);
    if (BLOCKS.has(tag)) out.push('\n');
    if (tag === 'TD' || tag === 'TH') out.push('\t');
  };
  walk(doc.body);
  return out.join('').split('\n').map(l => l.trim()).join('\n').replace(/\n{3,}/g, '\n\n').trim();
}

interface Attachment { contentType?: string; data?: string; title?: string; url?: string }

/** A note's attachment as text: text/plain decoded, text/html as {@link htmlToText}; other types named only. */
export function attachmentText(a: Attachment): string | undefined {
  if (!a.data) return undefined;
  const type = (a.contentType ?? '').split(';')[0].trim().toLowerCase();
  if (type === 'text/html' || type === 'application/xhtml+xml') return htmlToText(decodeBase64(a.data));
  if (type.startsWith('text/')) return decodeBase64(a.data);
  return undefined;
}

/**
 * The entry as a clinician reads it: what (value with unit, every component by its code), status, when (ADR
 * 0017: as recorded, with its offset), who, where; the note text of a document. Pure: label and content pairs.
 * The encounter is not among them: it is shown only once read through the access seam ({@link encounterFact}).
 */
export function entryFacts(r: Resource, heldBy?: string): [string, Child][] {
  const x = r as R;
  const facts: [string, Child][] = [['Kind', kindOfResource(r)]];
  const codings = [x.code, x.medicationCodeableConcept, x.vaccineCode]
    .flatMap(c => (c as CodeableConcept | undefined)?.coding ?? []).filter(c => c.system && c.code);
  if (codings.length) facts.push(['Code', codings.map(c => codeLabel({ system: c.system!, code: c.code! })).join(', ')]);
  if (r.resourceType === 'Observation') {
    const value = observationValueText(r as Observation);
    if (value) facts.push(['Value', value]);
    const range = rangeText(r as Observation);
    if (range) facts.push(['Reference range', range]);
    const interpretation = arr<CodeableConcept>(x.interpretation).map(concept).filter(Boolean).join(', ');
    if (interpretation) facts.push(['Interpretation', interpretation]);
  }
  const dosage = arr<{ text?: string }>(x.dosageInstruction ?? x.dosage).map(d => d.text).filter(Boolean).join('; ');
  if (dosage) facts.push(['Dosage', dosage]);
  if (x.criticality) facts.push(['Criticality', String(x.criticality)]);
  const reactions = arr<{ manifestation?: CodeableConcept[] }>(x.reaction)
    .flatMap(re => (re.manifestation ?? []).map(concept)).filter(Boolean).join(', ');
  if (reactions) facts.push(['Reaction', reactions]);
  if (typeof x.status === 'string') facts.push(['Status', x.status]);
  if (typeof x.docStatus === 'string') facts.push(['Document status', x.docStatus]);
  if (x.clinicalStatus) facts.push(['Clinical status', status(x.clinicalStatus)]);
  if (x.verificationStatus) facts.push(['Verification status', status(x.verificationStatus)]);
  const category = arr<CodeableConcept>(x.category).map(concept).filter(Boolean)
    .map(c => (CATEGORY_LABELS[c] ? categoryLabel(c) : c)).join(', ');
  if (category) facts.push(['Category', category]);
  facts.push(...when(x));
  facts.push(...people(x));
  if (heldBy) facts.push(['Held by', heldBy]);
  const notes = arr<{ text?: string }>(x.note).map(n => n.text).filter(Boolean).join('\n');
  if (notes) facts.push(['Note', h('pre', { class: 'note-text' }, notes)]);
  const attachments = [...arr<{ attachment?: Attachment }>(x.content).map(c => c.attachment),
    ...arr<Attachment>(x.presentedForm)].filter((a): a is Attachment => !!a);
  for (const a of attachments) {
    const text = attachmentText(a);
    if (text !== undefined) facts.push([a.title ?? 'Text', h('div', { class: 'note-text note-view' }, text)]);
    else facts.push([a.title ?? 'Attachment', `${a.contentType ?? 'file'}${a.url ? ` (${a.url})` : ''}, not shown here`]);
  }
  return facts;
}

/**
 * The entry's encounter, read through the FHIR API (the access seam decides, and audits the read): its type, date
 * and institution, linked to its own page. Nothing at all when the entry names none, or when the viewer may not
 * read it (the server answers "not found" either way): neither the reference nor its display is shown.
 */
async function encounterFact(ctx: AppContext, facts: HTMLElement, patientId: string, r: Resource): Promise<void> {
  const id = encounterIdOf(r);
  if (!id) return;
  let e: Encounter;
  try {
    e = await ctx.api.read<Encounter>('Encounter', id);
  } catch {
    return;
  }
  const custodian = custodianOf(e);
  const place = encounterPlace(e, custodian ? institutionLabel(ctx, custodian) : undefined);
  const before = [...facts.querySelectorAll(':scope > dt')].find(dt => dt.textContent === 'Held by'
    || dt.nextElementSibling?.querySelector('.note-text'));
  const rows = [h('dt', null, 'Encounter'), h('dd', { class: 'encounter-fact' },
    h('a', { href: `#/patients/${encodeURIComponent(patientId)}/entry/Encounter/${encodeURIComponent(id)}` }, place))];
  if (before) rows.forEach(row => facts.insertBefore(row, before)); else facts.append(...rows);
}

function factList(r: Resource, heldBy?: string): HTMLElement {
  return h('dl', { class: 'kv facts' }, entryFacts(r, heldBy).map(([k, v]) => [h('dt', null, k), h('dd', null, v)]));
}

function rawFhir(r: Resource): HTMLElement {
  return h('details', { class: 'raw' }, h('summary', null, 'Show FHIR'), h('pre', null, JSON.stringify(r, null, 2)));
}

export async function loadHistory(api: Api, type: string, id: string): Promise<Resource[]> {
  const versions = resources(await api.history(type, id));
  return versions.sort((a, b) => Number(b.meta?.versionId ?? 0) - Number(a.meta?.versionId ?? 0));
}

/**
 * Entry detail: the patient banner (whose entry this is), the entry readably (title from its code, value with unit,
 * status, dates as recorded, performer, the institution that holds it), its versions; raw FHIR only on request.
 */
export function renderEntry(ctx: AppContext, outlet: HTMLElement, patientId: string, type: string, id: string):
  void {
  const banner = h('header', { class: 'patient-banner', 'aria-busy': 'true' },
    h('p', { class: 'muted' }, 'Loading the patient…'));
  const body = h('div', { 'aria-busy': 'true' }, h('p', { class: 'muted' }, 'Loading…'));
  const history = h('div', { 'aria-busy': 'true' });
  const back = h('a', { href: `#/patients/${encodeURIComponent(patientId)}`, class: 'back' }, '← Back to the chart');
  const heading = h('h2', { class: 'entry-title', tabindex: '-1' }, kindOf(type));
  mount(outlet, h('section', { class: 'page entry-detail' }, banner, back,
    h('div', { class: 'entry-columns' }, h('article', { class: 'card', 'aria-labelledby': 'entry-title' },
      heading, body),
    h('aside', { class: 'card', 'aria-labelledby': 'hist-title' }, h('h2', { id: 'hist-title' }, 'Version history'),
      history))));
  heading.id = 'entry-title';
  heading.focus();

  void ctx.api.read<Patient>('Patient', patientId).then(p => {
    mount(banner, patientIdentity(ctx, p), bannerDetails(ctx, patientId));
    document.title = patientTitle(kindOf(type), p);
  })
    .catch(e => mount(banner, h('h1', null, 'Patient not available'), errorBox(e)))
    .finally(() => banner.removeAttribute('aria-busy'));

  void ctx.api.read(type, id).then(resource => {
    heading.textContent = entryTitle(resource);
    heading.classList.toggle('entered-in-error', isEnteredInError(resource));
    const custodian = custodianOf(resource);
    const facts = factList(resource, custodian ? institutionLabel(ctx, custodian) : undefined);
    void encounterFact(ctx, facts, patientId, resource);
    mount(body, errorMarker(resource), facts,
      h('p', { class: 'provenance' },
        `Version ${resource.meta?.versionId ?? '?'}, last updated ${formatDateTime(resource.meta?.lastUpdated)}`),
      entryActions(ctx, resource, () => renderEntry(ctx, outlet, patientId, type, id)),
      type === 'Encounter'
        ? h('nav', { class: 'record-actions encounter-apps', 'aria-label': 'Apps for this encounter' },
          appsMenu(ctx.api, patientId, undefined, id))
        : null,
      rawFhir(resource));
  }).catch(e => mount(body, errorBox(e))).finally(() => body.removeAttribute('aria-busy'));

  void loadHistory(ctx.api, type, id).then(versions => mount(history, versions.length
    ? h('ol', { class: 'history' }, versions.map(v => h('li', null,
      h('strong', null, `v${v.meta?.versionId ?? '?'}`), ' ', formatDateTime(v.meta?.lastUpdated),
      h('details', null, h('summary', null, 'Show this version'), factList(v), rawFhir(v)))))
    : h('p', { class: 'muted' }, 'No history.')))
    .catch(e => mount(history, errorBox(e))).finally(() => history.removeAttribute('aria-busy'));
}
