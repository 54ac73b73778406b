import page1 from './fixtures/timeline-page1.json';
import page2 from './fixtures/timeline-page2.json';
import { FakeServer, settle } from './fake-server';
import { TimelineView } from '../src/views/timeline';
import type { ApiError } from '../src/api';

function setup(server: FakeServer) {
  let visible: (() => void) | undefined;
  const denied: ApiError[] = [];
  const view = new TimelineView({
    api: server.api(), patientId: 'p1',
    entryLink: e => `#/patients/p1/entry/${e.type}/${e.id}`,
    institutionName: t => t,
    onDenied: e => denied.push(e),
    observe: (_el, onVisible) => { visible = onVisible; return () => { visible = undefined; }; },
  });
  document.body.replaceChildren(view.element);
  return { view, denied, scrollToBottom: () => visible?.() };
}

function timelineServer(): FakeServer {
  return new FakeServer()
    .on('GET', /\/timeline\?/, { status: 200, body: page1 })
    .on('GET', /\/timeline\?.*after=cursor-2/, { status: 200, body: page2 });
}

describe('TimelineView', () => {
  it('shows the newest entries grouped by day and encounter, with source institution and country', async () => {
    const server = timelineServer();
    const { view } = setup(server);
    await view.reload();

    expect(server.calls[0].url).toBe('api/patients/p1/timeline?size=50&billing=false');
    expect(server.calls[0].authorization).toBe('Bearer test-token');
    const days = [...document.querySelectorAll('li.day')].map(d => d.getAttribute('data-day'));
    expect(days).toEqual(['2024-05-14', '2024-03-02']);
    const may14 = document.querySelector('li.day[data-day="2024-05-14"]')!;
    const groups = [...may14.querySelectorAll('.encounter')].map(g => g.getAttribute('data-encounter'));
    expect(groups).toEqual(['Encounter/e2', '']);
    expect(may14.querySelector('.encounter-title')!.textContent).toBe('Diabetes follow-up');
    const bp = document.querySelector('[data-entry="Observation/o3"]')!;
    expect(bp.querySelector('a.title')!.getAttribute('href')).toBe('#/patients/p1/entry/Observation/o3');
    expect(bp.querySelector('.source')!.textContent).toBe('Amstel Hospital · NL');
    expect(document.querySelector('[data-entry="Condition/c1"] .source')!.textContent).toBe('Spree Klinikum · DE');
    expect(document.querySelector('[role=status]')!.textContent).toContain('4 of 6 entries shown');
  });

  it('marks a withheld entry visibly instead of leaving it out, without title or link', async () => {
    const { view } = setup(timelineServer());
    await view.reload();
    const withheld = document.querySelector('[data-entry="DocumentReference/d9"]')!;
    expect(withheld.classList.contains('withheld')).toBe(true);
    expect(withheld.textContent).toContain('Withheld by the patient\u2019s sharing settings');
    expect(withheld.querySelector('a')).toBeNull();
    expect(withheld.querySelector('.source')!.textContent).toBe('Spree Klinikum · DE');
  });

  it('loads the next page with the cursor when the end of the list scrolls into view, without duplicates', async () => {
    const server = timelineServer();
    const { view, scrollToBottom } = setup(server);
    await view.reload();
    scrollToBottom();
    await settle();

    expect(server.urls(/after=/)).toEqual(['api/patients/p1/timeline?size=50&after=cursor-2&billing=false']);
    expect(view.shownEntries.map(e => e.id)).toEqual(['o3', 'e2', 'd9', 'c1', 'o1']);
    expect(document.querySelectorAll('[data-entry="Condition/c1"]').length).toBe(1);
    expect(document.querySelector('li.day[data-day="2023-11-20"]')).not.toBeNull();
    expect(document.querySelector('[role=status]')!.textContent).toContain('end of record');
    scrollToBottom();
    await settle();
    expect(server.urls(/after=/).length).toBe(1);
  });

  it('sends the filters to the API and offers the categories and institutions from the facets', async () => {
    const server = timelineServer();
    const { view } = setup(server);
    await view.reload();
    const category = document.querySelector<HTMLSelectElement>('select[name=category]')!;
    expect([...category.options].map(o => o.textContent)).toContain('Vital signs (3)');
    const institution = document.querySelector<HTMLSelectElement>('select[name=institution]')!;
    expect([...institution.options].map(o => o.value)).toEqual(['', 'nl-amstel', 'de-spree']);

    category.value = 'vital-signs';
    institution.value = 'de-spree';
    document.querySelector<HTMLInputElement>('input[name=from]')!.value = '2024-01-01';
    document.querySelector<HTMLInputElement>('input[name=q]')!.value = ' blood pressure ';
    document.querySelector<HTMLFormElement>('form.filters')!.requestSubmit();
    await settle();

    expect(server.calls.at(-1)!.url).toBe('api/patients/p1/timeline?size=50&category=vital-signs&from=2024-01-01'
      + '&institution=de-spree&q=blood%20pressure&billing=false');
    expect(category.value).toBe('vital-signs');
  });

  it('leaves billing entries out of the clinical view until asked for', async () => {
    const server = timelineServer();
    const { view } = setup(server);
    await view.reload();
    expect(server.calls[0].url).toContain('billing=false');
    const billing = document.querySelector<HTMLInputElement>('input[name=billing]')!;
    expect(document.querySelector('label[for=tl-billing]')!.textContent).toBe('Show billing (claims)');
    billing.checked = true;
    billing.dispatchEvent(new Event('change'));
    await settle();
    expect(server.calls.at(-1)!.url).toBe('api/patients/p1/timeline?size=50');
  });

  it('draws the months on a proportional axis, oldest first, and jumps to the end of a clicked month', async () => {
    const server = timelineServer();
    const { view } = setup(server);
    await view.reload();
    // every month from 2023-11 to 2024-05, the empty ones as gaps (issue #20: a proportional time axis)
    expect([...document.querySelectorAll<HTMLElement>('.overview .bar')].map(b => b.dataset.month)).toEqual(
      ['2023-11', '2023-12', '2024-01', '2024-02', '2024-03', '2024-04', '2024-05']);
    const bars = [...document.querySelectorAll<HTMLButtonElement>('.overview button.bar')];
    expect(bars.map(b => b.dataset.month)).toEqual(['2023-11', '2024-03', '2024-05']);
    expect(bars[2].getAttribute('aria-label')).toBe('2024-05, 4 entries');

    bars[1].click();
    await settle();
    expect(server.calls.at(-1)!.url).toBe('api/patients/p1/timeline?size=50&to=2024-03-31&billing=false');
    expect(document.querySelector<HTMLInputElement>('input[name=to]')!.value).toBe('2024-03-31');
    expect(document.querySelectorAll('.overview button.bar').length).toBe(3);
    expect(document.querySelector('.jump')!.textContent).toContain('Showing up to 2024-03-31');
  });

  it('hands a 403 to the break-the-glass offer', async () => {
    const server = new FakeServer().on('GET', /timeline/, { status: 403,
      body: { code: 'EHR-0403', message: 'EHR-0403 not in the care team' } });
    const { view, denied } = setup(server);
    await view.reload();
    expect(denied).toHaveLength(1);
    expect(denied[0].code).toBe('EHR-0403');
  });

  it('says so when the server has no timeline API (404 without a structured body)', async () => {
    const { view, denied } = setup(new FakeServer());
    await view.reload();
    expect(denied).toHaveLength(0);
    expect(document.querySelector('[role=alert]')!.textContent).toContain('not available on this server');
  });
});

describe('encounter headings', () => {
  it('groups entries of an encounter not shown under an honest label, not a bare "Encounter"', async () => {
    const { view, scrollToBottom } = setup(timelineServer());
    await view.reload();
    scrollToBottom();
    await settle();
    // o1 belongs to Encounter/e1, whose own entry is not in the list (not readable, or filtered out)
    const group = document.querySelector('.encounter[data-encounter="Encounter/e1"]')!;
    const heading = group.querySelector('.encounter-title')!;
    expect(heading.textContent).toBe('Encounter details not shown');
    expect(heading.getAttribute('title')).toContain('not shared with you');
    expect(group.textContent).not.toMatch(/^Encounter(?! details)/);
    expect(document.querySelector('.encounter[data-encounter="Encounter/e2"] .encounter-title')!.textContent)
      .toBe('Diabetes follow-up');
  });

  it('names the encounter once its entry arrives on a later page', async () => {
    const first = { ...page2, next: 'cursor-x', entries: [page2.entries[1]] };
    const encounter = { type: 'Encounter', id: 'e1', version: 1, tenant: 'nl-amstel', institution: 'Amstel Hospital',
      country: 'NL', effective: '2023-11-20T08:30:00+01:00', category: 'encounter', title: 'General examination',
      detail: null, encounter: 'Encounter/e1', withheld: false };
    const server = new FakeServer()
      .on('GET', /\/timeline\?/, { status: 200, body: first })
      .on('GET', /\/timeline\?.*after=cursor-x/, { status: 200, body: { ...page2, entries: [encounter] } });
    const { view, scrollToBottom } = setup(server);
    await view.reload();
    const heading = () => document.querySelector('.encounter[data-encounter="Encounter/e1"] .encounter-title')!;
    expect(heading().textContent).toBe('Encounter details not shown');
    scrollToBottom();
    await settle();
    expect(heading().textContent).toBe('General examination');
    expect(document.querySelectorAll('.encounter[data-encounter="Encounter/e1"]').length).toBe(1);
  });
});

describe('entry times', () => {
  it('shows the time as recorded at the source, consistent with the day heading', async () => {
    const { recordedTime } = await import('../src/views/timeline');
    expect(recordedTime('2024-05-14T23:50:00-05:00')).toBe('23:50');
    expect(recordedTime('2024-05-14')).toBe('');
  });
});

describe('withheld information', () => {
  it('says some information may be withheld when the caller’s access leaves sensitive categories out', async () => {
    const server = new FakeServer().on('GET', /\/timeline\?/, { status: 200, body: { ...page1, withheld: true } });
    const { view } = setup(server);
    await view.reload();
    const note = document.querySelector<HTMLElement>('.withheld-note')!;
    expect(note.hidden).toBe(false);
    expect(note.textContent).toContain('Some information may be withheld');
  });

  it('says nothing when nothing is withheld', async () => {
    const { view } = setup(timelineServer());
    await view.reload();
    expect(document.querySelector<HTMLElement>('.withheld-note')!.hidden).toBe(true);
  });
});
