import FHIR from 'fhirclient';

/**
 * The demo app after sign-in: the launch patient's name and Observations — from the chart (EHR launch) or, started
 * on its own (standalone launch), the patient chosen in Meridian's patient picker (ADR 0032). Without a patient
 * context (the picker was left without a choice), the records the token reaches (a patient's: their own).
 */
interface Coding { system?: string; code?: string; display?: string }
interface Quantity { value?: number; unit?: string }
interface Observation {
  resourceType: 'Observation';
  id?: string;
  code?: { text?: string; coding?: Coding[] };
  valueQuantity?: Quantity;
  valueString?: string;
  component?: { code?: { text?: string }; valueQuantity?: Quantity }[];
  effectiveDateTime?: string;
  subject?: { reference?: string };
}
interface Patient {
  resourceType: 'Patient';
  id?: string;
  name?: { family?: string; given?: string[]; text?: string }[];
  birthDate?: string;
  gender?: string;
}
interface Bundle<R> { entry?: { resource?: R }[] }

const $ = (id: string) => document.getElementById(id)!;

function nameOf(p: Patient): string {
  const n = p.name?.[0];
  return n?.text ?? [n?.given?.join(' '), n?.family].filter(Boolean).join(' ') ?? '(no name)';
}

function valueOf(o: Observation): string {
  const q = (v?: Quantity) => v?.value === undefined ? '' : `${v.value} ${v.unit ?? ''}`.trim();
  if (o.valueQuantity) return q(o.valueQuantity);
  if (o.valueString) return o.valueString;
  return (o.component ?? []).map(c => q(c.valueQuantity)).filter(Boolean).join(' / ');
}

function row(o: Observation): HTMLTableRowElement {
  const tr = document.createElement('tr');
  tr.dataset.id = o.id ?? '';
  for (const text of [(o.effectiveDateTime ?? '').slice(0, 10), o.code?.text ?? o.code?.coding?.[0]?.display ?? '',
    valueOf(o), o.subject?.reference ?? '']) {
    const td = document.createElement('td');
    td.textContent = text;
    tr.appendChild(td);
  }
  return tr;
}

async function main(): Promise<void> {
  const client = await FHIR.oauth2.ready();
  const launchPatient = client.patient.id;
  let patients: Patient[];
  if (launchPatient) {
    patients = [await client.patient.read() as Patient];
    const kind = sessionStorage.getItem('meridian-demo-launch') ?? 'EHR launch';
    $('context').textContent = `${kind}: patient context Patient/${launchPatient}`
      + (client.encounter.id ? ` · encounter Encounter/${client.encounter.id}` : '')
      + (client.user.fhirUser ? ` · signed in as ${client.user.fhirUser}` : '');
  } else {
    const found = await client.request<Bundle<Patient>>('Patient?_count=10');
    patients = (found.entry ?? []).map(e => e.resource!).filter(Boolean);
    $('context').textContent = 'Standalone launch without a patient context: the records you may see';
  }
  if (!patients.length) throw new Error('no patient is visible to this app');
  $('patient-name').textContent = nameOf(patients[0]);
  $('patient-details').textContent = [patients[0].gender, patients[0].birthDate && `born ${patients[0].birthDate}`]
    .filter(Boolean).join(' · ');
  $('patient').hidden = false;
  const query = launchPatient ? `Observation?patient=${encodeURIComponent(launchPatient)}&_sort=-date&_count=50`
    : 'Observation?_sort=-date&_count=50';
  const observations = await client.request<Bundle<Observation>>(query);
  const rows = (observations.entry ?? []).map(e => e.resource!).filter(Boolean)
    .sort((a, b) => (b.effectiveDateTime ?? '').localeCompare(a.effectiveDateTime ?? ''));
  $('observation-rows').replaceChildren(...rows.map(row));
  $('observations').hidden = false;
  $('status').textContent = `${rows.length} observation${rows.length === 1 ? '' : 's'}`;
  document.body.dataset.ready = 'true';
}

main().catch((e: unknown) => {
  const status = $('status');
  status.textContent = `Error: ${e instanceof Error ? e.message : String(e)}`;
  status.className = 'error';
  document.body.dataset.ready = 'error';
});
