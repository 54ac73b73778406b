import { FakeServer, settle } from './fake-server';
import { appsMenu } from '../src/smart-apps';

describe('the chart\'s Apps menu (SMART EHR launch, ADR 0028)', () => {
  it('lists the apps when opened and opens the chosen one with the launch the server made for this patient', async () => {
    const server = new FakeServer()
      .on('GET', /api\/smart\/apps$/, { status: 200, body: { apps: [{ clientId: 'meridian-demo-app',
        name: 'Meridian demo app' }] } })
      .on('POST', /api\/smart\/launches$/, { status: 200, body: { launch: 'L', iss: 'http://x/fhir',
        url: 'http://x/apps/demo/launch.html?launch=L&iss=http%3A%2F%2Fx%2Ffhir' } });
    const opened: string[] = [];
    const menu = appsMenu(server.api(), 'p1', url => opened.push(url)) as HTMLDetailsElement;
    document.body.replaceChildren(menu);
    expect(server.calls).toHaveLength(0);
    menu.open = true;
    menu.dispatchEvent(new Event('toggle'));
    await settle();
    const item = menu.querySelector<HTMLButtonElement>('button[data-client="meridian-demo-app"]')!;
    expect(item.textContent).toBe('Meridian demo app');
    item.click();
    await settle();
    expect(server.calls.find(c => c.method === 'POST')?.body).toEqual({ app: 'meridian-demo-app', patient: 'p1' });
    expect(opened).toEqual(['http://x/apps/demo/launch.html?launch=L&iss=http%3A%2F%2Fx%2Ffhir']);
  });

  it('on an Encounter\'s page launches with that encounter too (ADR 0032)', async () => {
    const server = new FakeServer()
      .on('GET', /api\/smart\/apps$/, { status: 200, body: { apps: [{ clientId: 'a', name: 'App A' }] } })
      .on('POST', /api\/smart\/launches$/, { status: 200, body: { launch: 'L', iss: 'http://x/fhir', url: 'http://x/l' } });
    const opened: string[] = [];
    const menu = appsMenu(server.api(), 'p1', url => opened.push(url), 'e1') as HTMLDetailsElement;
    document.body.replaceChildren(menu);
    menu.open = true;
    menu.dispatchEvent(new Event('toggle'));
    await settle();
    menu.querySelector<HTMLButtonElement>('button[data-client="a"]')!.click();
    await settle();
    expect(server.calls.find(c => c.method === 'POST')?.body).toEqual({ app: 'a', patient: 'p1', encounter: 'e1' });
    expect(opened).toEqual(['http://x/l']);
  });

  it('says so when the server refuses the launch, and opens nothing', async () => {
    const server = new FakeServer()
      .on('GET', /api\/smart\/apps$/, { status: 200, body: { apps: [{ clientId: 'a', name: 'App A' }] } })
      .on('POST', /api\/smart\/launches$/, { status: 404, body: { code: 'EHR-0671', message: 'EHR-0671 patient p1 not found' } });
    const opened: string[] = [];
    const menu = appsMenu(server.api(), 'p1', url => opened.push(url)) as HTMLDetailsElement;
    document.body.replaceChildren(menu);
    menu.open = true;
    menu.dispatchEvent(new Event('toggle'));
    await settle();
    menu.querySelector<HTMLButtonElement>('button[data-client="a"]')!.click();
    await settle();
    expect(opened).toEqual([]);
    expect(menu.querySelector('.apps-status')?.textContent).toContain('Could not open App A');
  });
});
