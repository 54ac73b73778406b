import page1 from './fixtures/timeline-page1.json';
import page2 from './fixtures/timeline-page2.json';
import { FakeServer, settle } from './fake-server';
import { renderChart, takeKeptChart } from '../src/views/chart';
import { BreakGlassStore, type AppContext } from '../src/context';

class NoObserver {
  observe(): void {}
  disconnect(): void {}
}

function context(server: FakeServer): AppContext {
  return { api: server.api(), user: { username: 'dr.jansen', name: 'Pieter Jansen', tenant: 'nl-amstel',
    roles: ['clinician'] }, institutions: new Map(), breakGlass: new BreakGlassStore(sessionStorage),
  navigate: () => {} };
}

describe('back from an entry', () => {
  beforeAll(() => { (globalThis as Record<string, unknown>).IntersectionObserver = NoObserver; });

  it('keeps the chart\u2019s loaded pages, filters and scroll position', async () => {
    const server = new FakeServer()
      .on('GET', /fhir\//, { status: 200, body: { resourceType: 'Bundle', entry: [] } })
      .on('GET', /fhir\/Patient\/p1$/, { status: 200, body: { resourceType: 'Patient', id: 'p1',
        name: [{ family: 'Visser', given: ['Anna'] }] } })
      .on('GET', /\/timeline\?/, { status: 200, body: page1 })
      .on('GET', /\/timeline\?.*after=cursor-2/, { status: 200, body: page2 });
    const outlet = document.createElement('div');
    document.body.replaceChildren(outlet);
    location.hash = '#/patients/p1';
    const leave = renderChart(context(server), outlet, 'p1', new URLSearchParams());
    await settle(5);
    outlet.querySelector<HTMLButtonElement>('.timeline button.more')!.click();
    await settle(5);
    const loaded = outlet.querySelectorAll('.timeline .entry').length;
    expect(loaded).toBeGreaterThan(page1.entries.length);
    outlet.querySelector<HTMLInputElement>('#tl-q')!.value = 'glucose';
    const timelineCalls = server.urls(/timeline/).length;
    const scrolled: number[] = [];
    window.scrollTo = ((_x: number, y: number) => { scrolled.push(y); }) as typeof window.scrollTo;
    Object.defineProperty(window, 'scrollY', { value: 1234, configurable: true });

    location.hash = '#/patients/p1/entry/Observation/o1';
    leave();
    outlet.replaceChildren();
    location.hash = '#/patients/p1';
    renderChart(context(server), outlet, 'p1', new URLSearchParams());
    await settle(5);

    expect(outlet.querySelectorAll('.timeline .entry')).toHaveLength(loaded);
    expect(outlet.querySelector<HTMLInputElement>('#tl-q')!.value).toBe('glucose');
    expect(server.urls(/timeline/)).toHaveLength(timelineCalls);
    expect(scrolled).toEqual([1234]);
  });

  it('loads afresh after something was recorded, or for another patient', () => {
    expect(takeKeptChart('p1', new URLSearchParams('recorded=Observation/x'))).toBeUndefined();
    expect(takeKeptChart('p2', new URLSearchParams())).toBeUndefined();
  });
});
