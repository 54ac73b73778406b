import { FakeServer, settle } from './fake-server';
import { bannerAllergies, patientTitle } from '../src/views/patient-banner';
import { renderRecord } from '../src/views/record';
import { BreakGlassStore, type AppContext } from '../src/context';

function context(server: FakeServer): AppContext {
  return { api: server.api(), user: { username: 'dr.jansen', name: 'Pieter Jansen', tenant: 'nl-amstel',
    roles: ['clinician'] }, institutions: new Map([['nl-amstel', { id: 'nl-amstel', name: 'Amstel Hospital',
    country: 'NL' }]]), breakGlass: new BreakGlassStore(sessionStorage), navigate: () => {} };
}

const status = (code: string) => ({ coding: [{ code }] });

describe('the patient banner on every clinical screen', () => {
  it('lists current allergies, high criticality first, without resolved or refuted ones', () => {
    expect(bannerAllergies([
      { resourceType: 'AllergyIntolerance', code: { text: 'Latex' }, criticality: 'low' },
      { resourceType: 'AllergyIntolerance', code: { text: 'Penicillin' }, criticality: 'high' },
      { resourceType: 'AllergyIntolerance', code: { text: 'Pollen' }, clinicalStatus: status('resolved') },
      { resourceType: 'AllergyIntolerance', code: { text: 'Shellfish' }, verificationStatus: status('refuted') },
    ])).toEqual([{ text: 'Penicillin (high criticality)', high: true }, { text: 'Latex (low criticality)', high: false }]);
  });

  it('names the patient in the page title', () => {
    expect(patientTitle('Chart', { resourceType: 'Patient', name: [{ family: 'Visser', given: ['Anna'] }] }))
      .toBe('Chart: Visser, Anna · Meridian EHR');
  });

  it('shows who is being recorded for, their allergies and where their data is held, on the recording screen', async () => {
    const server = new FakeServer()
      .on('GET', /fhir\/Patient\/p1$/, { status: 200, body: { resourceType: 'Patient', id: 'p1',
        name: [{ family: 'Visser', given: ['Anna'] }], gender: 'female', birthDate: '1961-04-02' } })
      .on('GET', /fhir\/AllergyIntolerance\?/, { status: 200, body: { resourceType: 'Bundle', entry: [
        { resource: { resourceType: 'AllergyIntolerance', code: { text: 'Penicillin' }, criticality: 'high' } }] } })
      .on('GET', /timeline\?size=1/, { status: 200, body: { patient: { id: 'p1' }, entries: [], next: null, total: 9,
        facets: { institution: [{ key: 'nl-amstel', name: 'Amstel Hospital', count: 5 },
          { key: 'de-spree', name: 'Spree Klinikum', count: 4 }] } } });
    const outlet = document.createElement('div');
    document.body.replaceChildren(outlet);
    renderRecord(context(server), outlet, 'p1', 'vitals');
    await settle(5);
    const banner = outlet.querySelector('.patient-banner')!;
    expect(banner.querySelector('h1')!.textContent).toBe('Visser, Anna');
    expect(banner.querySelector('.allergy.high')!.textContent).toBe('Penicillin (high criticality)');
    expect(banner.querySelector('.banner-held')!.textContent).toBe('Data held at: Amstel Hospital, Spree Klinikum');
    expect(document.title).toBe('Record vitals: Visser, Anna · Meridian EHR');
  });

  it('says that records exist elsewhere only when the server says so, naming and counting no institution', async () => {
    const banner = async (answer: unknown) => {
      const server = new FakeServer()
        .on('GET', /fhir\/Patient\/p1$/, { status: 200, body: { resourceType: 'Patient', id: 'p1',
          name: [{ family: 'Visser', given: ['Anna'] }] } })
        .on('GET', /fhir\/AllergyIntolerance\?/, { status: 200, body: { resourceType: 'Bundle' } })
        .on('GET', /timeline\?size=1/, { status: 200, body: { patient: { id: 'p1' }, entries: [], next: null,
          total: 1, facets: { institution: [{ key: 'nl-amstel', name: 'Amstel Hospital', count: 1 }] } } })
        .on('GET', /api\/patients\/p1\/outside-records$/, { status: 200, body: answer });
      const outlet = document.createElement('div');
      document.body.replaceChildren(outlet);
      renderRecord(context(server), outlet, 'p1', 'vitals');
      await settle(5);
      expect(server.urls(/outside-records/)).toEqual(['api/patients/p1/outside-records']);
      return outlet.querySelector<HTMLElement>('.banner-outside')!;
    };
    const shown = await banner({ hint: true });
    expect(shown.hidden).toBe(false);
    expect(shown.textContent).toBe('Records at other institutions exist that are not shared with you \u2014 the '
      + 'patient can share them from the portal');
    const none = await banner({ hint: false });
    expect(none.hidden).toBe(true);
    expect(none.textContent).toBe('');
  });
});
