import { describe, expect, it } from 'vitest';
import { FakeServer, settle } from './fake-server';
import { amended, amendmentKind, authorOf, encounterIdOf, enteredInError, noteDocument, noteText }
  from '../src/record-builders';
import { documentRow } from '../src/chart-lists';
import { encounterPlace, type Encounter } from '../src/encounters';
import { addedMessage, type CareTeam } from '../src/admin-model';
import { renderEntry } from '../src/views/entry';
import { BreakGlassStore, type AppContext } from '../src/context';
import type { Resource } from '../src/fhir';

const me = { practitionerId: 'prac-nl-jansen', name: 'Pieter Jansen', encounter: 'enc-1' };

function context(server: FakeServer): AppContext {
  return { api: server.api(), user: { username: 'dr.jansen', name: 'Pieter Jansen', tenant: 'nl-amstel',
    roles: ['clinician'], practitionerId: 'prac-nl-jansen' },
  institutions: new Map([['nl-amstel', { id: 'nl-amstel', name: 'Amstel Hospital', country: 'NL' }]]),
  breakGlass: new BreakGlassStore(sessionStorage), navigate: () => {} };
}

describe('a note the clinician wrote: author, encounter, amend, entered in error (issue #20, ADR 0030)', () => {
  const note = noteDocument('p1', 'Review', 'Wheeze better.\nPlan: step down.', '2026-12-07T09:10:00+01:00', me);

  it('names its author and its encounter', () => {
    const x = note as Record<string, unknown>;
    expect(x.author).toEqual([{ reference: 'Practitioner/prac-nl-jansen', display: 'Pieter Jansen' }]);
    expect(x.context).toEqual({ encounter: [{ reference: 'Encounter/enc-1' }] });
    expect(authorOf(note)).toBe('Practitioner/prac-nl-jansen');
    expect(encounterIdOf(note)).toBe('enc-1');
    expect(noteText(note)).toBe('Wheeze better.\nPlan: step down.');
    const anonymous = noteDocument('p1', 'Review', 'x', '2026-12-07') as Record<string, unknown>;
    expect(anonymous.author).toBeUndefined();
    expect(anonymous.context).toBeUndefined();
  });

  it('amends to a new version with the corrected text, docStatus amended, the rest kept', () => {
    expect(amendmentKind(note)).toBe('text');
    const stored = { ...note, id: 'd1', meta: { versionId: '1' } } as Resource;
    const a = amended(stored, { text: 'Wheeze resolved – Müller’s plan.' }) as Record<string, unknown>;
    expect(noteText(a as Resource)).toBe('Wheeze resolved – Müller’s plan.');
    expect(a.docStatus).toBe('amended');
    expect(a.status).toBe('current');
    expect(a.meta).toBeUndefined();
    expect(a.id).toBe('d1');
    expect(a.author).toEqual((note as Record<string, unknown>).author);
    expect(noteText(stored)).toBe('Wheeze better.\nPlan: step down.');
  });

  it('is marked entered in error by its status; a note with other content is not amended here', () => {
    expect((enteredInError(note) as Record<string, unknown>).status).toBe('entered-in-error');
    const html = { resourceType: 'DocumentReference', content: [{ attachment: { contentType: 'text/html',
      data: btoa('<p>x</p>') } }] } as Resource;
    expect(amendmentKind(html)).toBeUndefined();
    expect(noteText(html)).toBeUndefined();
  });

  it('lists a note entered in error, marked; an amended one says so', () => {
    const row = documentRow({ ...note, status: 'entered-in-error' } as Resource);
    expect(row.enteredInError).toBe(true);
    expect(row.title).toBe('Review');
    const amendedRow = documentRow({ ...note, docStatus: 'amended' } as Resource);
    expect(amendedRow.enteredInError).toBe(false);
    expect(amendedRow.meta).toBe('2026-12-07 · amended');
  });

  it('finds the encounter of any entry, never something else', () => {
    expect(encounterIdOf({ resourceType: 'Observation', encounter: { reference: 'Encounter/e-2' } } as Resource))
      .toBe('e-2');
    expect(encounterIdOf({ resourceType: 'Observation', encounter: { reference: 'Patient/e-2' } } as Resource))
      .toBeUndefined();
    expect(encounterIdOf({ resourceType: 'Observation', encounter: { display: 'Visit' } } as Resource))
      .toBeUndefined();
  });
});

describe('the entry page names its encounter only as read through the seam (issue #20)', () => {
  const obs = (encounter: string) => ({ status: 200, body: { resourceType: 'Observation', id: 'o1', status: 'final',
    code: { text: 'Heart rate' }, valueQuantity: { value: 70, unit: '/min' },
    encounter: { reference: `Encounter/${encounter}`, display: 'Secret clinic visit' },
    meta: { versionId: '1', tag: [{ system: 'urn:meridian:tenant', code: 'nl-amstel' }] } } });

  function server(): FakeServer {
    return new FakeServer()
      .on('GET', /fhir\/Patient\/p1$/, { status: 200, body: { resourceType: 'Patient', id: 'p1',
        name: [{ family: 'Visser', given: ['Anna'] }] } })
      .on('GET', /_history/, { status: 200, body: { resourceType: 'Bundle', entry: [] } })
      .on('GET', /fhir\/Observation\/o1$/, obs('enc-ok'))
      .on('GET', /fhir\/Encounter\/enc-ok$/, { status: 200, body: { resourceType: 'Encounter', id: 'enc-ok',
        type: [{ text: 'Asthma review' }], period: { start: '2026-12-07T09:00:00+01:00' },
        meta: { tag: [{ system: 'urn:meridian:tenant', code: 'nl-amstel' }] } } });
  }

  async function factsOf(s: FakeServer): Promise<string> {
    const outlet = document.createElement('div');
    document.body.replaceChildren(outlet);
    renderEntry(context(s), outlet, 'p1', 'Observation', 'o1');
    await settle();
    return outlet.querySelector('dl.facts')!.textContent!;
  }

  it('shows type, date and institution of a readable encounter', async () => {
    const facts = await factsOf(server());
    expect(facts).toContain('EncounterAsthma review · 2026-12-07 · Amstel Hospital (NL)');
    expect(facts).not.toContain('Secret clinic visit');
    expect(facts).not.toContain('Encounter/enc-ok');
  });

  it('shows nothing of an encounter the viewer may not read: no id, no display', async () => {
    const s = server().on('GET', /fhir\/Observation\/o1$/, obs('enc-hidden'));
    const facts = await factsOf(s);
    expect(s.urls(/Encounter\/enc-hidden/)).toHaveLength(1);
    expect(facts).toContain('70 /min');
    expect(facts).not.toContain('Encounter');
    expect(facts).not.toContain('enc-hidden');
    expect(facts).not.toContain('Secret clinic visit');
  });

  it('labels an encounter without a type by its class', () => {
    expect(encounterPlace({ resourceType: 'Encounter', class: { code: 'AMB' } } as Encounter)).toBe('AMB · no date');
  });
});

describe('the care-team confirmation names whom it added (issue #20, ADR 0027)', () => {
  const teams: CareTeam[] = [{ id: 'ward-1', name: 'Ward 1',
    members: [{ practitioner: 'prac-nl-jansen', institution: 'nl-amstel', role: 'clinician', start: '', name: 'Pieter Jansen' }],
    patients: [{ person: 'per-1', patient: 'Patient/a1', name: 'Ada Console' },
      { person: 'per-2', patient: 'Patient/b2', name: null }] }];

  it('by the names the reloaded overview gives', () => {
    expect(addedMessage(teams, 'ward-1', { practitioner: ' prac-nl-jansen ' })).toBe('Pieter Jansen added to Ward 1.');
    expect(addedMessage(teams, 'ward-1', { patient: 'Patient/a1' })).toBe('Ada Console added to Ward 1.');
  });

  it('keeps the typed reference, said to be unnamed, when the overview names no one', () => {
    expect(addedMessage(teams, 'ward-1', { patient: 'Patient/b2' })).toBe('Patient/b2 (name not shown) added to Ward 1.');
    expect(addedMessage(teams, 'ward-1', { practitioner: 'prac-x' })).toBe('prac-x added to Ward 1.');
  });
});
