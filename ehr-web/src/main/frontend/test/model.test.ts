import { endOfMonth, groupByDayAndEncounter, mergeEntries, monthAxis, timelinePath, type TimelineEntry }
  from '../src/timeline-model';
import { ApiError, messagesOf, queryString } from '../src/api';
import { FakeServer } from './fake-server';
import { custodianOf, formatNumber, humanName } from '../src/fhir';

const e = (id: string, effective: string, encounter: string | null = null): TimelineEntry =>
  ({ type: 'Observation', id, effective, encounter, withheld: false });

describe('timeline model', () => {
  it('groups by calendar day as recorded, then by encounter in first-seen order', () => {
    const groups = groupByDayAndEncounter([e('a', '2024-05-14T23:30:00-05:00', 'Encounter/1'),
      e('b', '2024-05-14T10:00:00+02:00'), e('c', '2024-05-14T09:00:00+02:00', 'Encounter/1'), e('d', '2024-05-13')]);
    expect(groups.map(g => g.day)).toEqual(['2024-05-14', '2024-05-13']);
    expect(groups[0].encounters.map(g => [g.encounter, g.entries.map(x => x.id)]))
      .toEqual([['Encounter/1', ['a', 'c']], [null, ['b']]]);
  });

  it('does not duplicate entries a cursor replays', () => {
    expect(mergeEntries([e('a', '2024'), e('b', '2024')], [e('b', '2024'), e('c', '2024')]).map(x => x.id))
      .toEqual(['a', 'b', 'c']);
  });

  it('knows month ends, leap years included', () => {
    expect(endOfMonth('2024-02')).toBe('2024-02-29');
    expect(endOfMonth('2023-02')).toBe('2023-02-28');
    expect(endOfMonth('2024-12')).toBe('2024-12-31');
  });

  it('encodes the timeline query and leaves out empty filters', () => {
    expect(timelinePath('a/b', { category: '', q: '  ', institution: 'nl-amstel' }, 'x&y'))
      .toBe('api/patients/a%2Fb/timeline?size=50&after=x%26y&institution=nl-amstel&billing=false');
    expect(timelinePath('p', { billing: true })).toBe('api/patients/p/timeline?size=50');
    expect(timelinePath('p', { category: 'billing' })).toBe('api/patients/p/timeline?size=50&category=billing');
    expect(monthAxis([{ month: '2024-02', count: 1 }, { month: '2023-11', count: 2 }])).toEqual([
      { month: '2023-11', count: 2 }, { month: '2023-12', count: 0 }, { month: '2024-01', count: 0 },
      { month: '2024-02', count: 1 }]);
    expect(monthAxis([])).toEqual([]);
    expect(queryString({ identifier: 'urn:oid:1|123', name: undefined })).toBe('?identifier=urn%3Aoid%3A1%7C123');
  });
});

describe('API client', () => {
  it('turns an OperationOutcome into an error carrying its diagnostics and stable code', async () => {
    const server = new FakeServer().on('POST', /fhir\/Observation/, { status: 422, body: { resourceType:
      'OperationOutcome', issue: [{ severity: 'error', code: 'invalid', diagnostics: 'EHR-0201 subject is required' }] } });
    const error = await server.api().create({ resourceType: 'Observation' }).then(() => undefined, (x: unknown) => x as ApiError);
    if (!error) throw new Error('expected the create to fail');
    expect(error).toBeInstanceOf(ApiError);
    expect(error.status).toBe(422);
    expect(error.messages).toEqual(['EHR-0201 subject is required']);
    expect(error.code).toBe('EHR-0201');
    expect(server.calls[0].authorization).toBe('Bearer test-token');
  });

  it('reads JSON API errors too', () => {
    expect(messagesOf({ code: 'EHR-0300', message: 'a valid bearer token is required' }))
      .toEqual({ code: 'EHR-0300', messages: ['a valid bearer token is required'] });
  });
});

describe('FHIR helpers', () => {
  it('finds the custodian institution in a tag or in meta.source', () => {
    expect(custodianOf({ resourceType: 'Patient', meta: { tag: [{ system: 'urn:meridian:tenant', code: 'de-spree' }] } }))
      .toBe('de-spree');
    expect(custodianOf({ resourceType: 'Patient', meta: { source: 'urn:meridian:tenant:nl-amstel' } })).toBe('nl-amstel');
    expect(custodianOf({ resourceType: 'Patient' })).toBeUndefined();
  });

  it('shows measured values as entered, without rounding away a decimal', () => {
    expect([77.7, 131, 5.6, 6.666, 0.35].map(formatNumber)).toEqual(['77.7', '131', '5.6', '6.67', '0.35']);
  });

  it('formats names with the official one first', () => {
    expect(humanName({ name: [{ use: 'nickname', given: ['Annie'] }, { use: 'official', family: 'Visser',
      given: ['Anna', 'M'] }] })).toBe('Visser, Anna M');
  });
});

describe('read-your-writes', () => {
  it('asks the server to include the caller\u2019s own writes only on the derived client', async () => {
    const server = new FakeServer().on('GET', /.*/, { status: 200, body: {} });
    const api = server.api();
    const seen: (string | undefined)[] = [];
    const original = server.fetch;
    const spy: typeof fetch = async (input, init) => {
      seen.push((init?.headers as Record<string, string>)['X-Meridian-Consistency']);
      return original(input, init);
    };
    Object.assign(api, { fetchFn: spy });
    await api.get('api/x');
    await api.readYourWrites().get('api/x');
    expect(seen).toEqual([undefined, 'read-your-writes']);
  });
});
