import { medicationLists, problemLists } from '../src/chart-lists';
import type { Resource } from '../src/fhir';

const status = (code: string) => ({ coding: [{ code }] });
const condition = (id: string, display: string, onset: string, extra: Record<string, unknown> = {}): Resource => ({
  resourceType: 'Condition', id, code: { coding: [{ system: 'http://snomed.info/sct', display }], text: display },
  onsetDateTime: onset, clinicalStatus: status('active'), verificationStatus: status('confirmed'), ...extra });
const order = (id: string, name: string, st: string, authoredOn: string, dosage?: unknown): Resource => ({
  resourceType: 'MedicationRequest', id, status: st, medicationCodeableConcept: { text: name }, authoredOn,
  ...(dosage ? { dosageInstruction: [dosage] } : {}) });

describe('problem list', () => {
  it('shows onset, recorded date, clinical and verification status, newest first, social findings apart', () => {
    const { problems, social } = problemLists([
      condition('c1', 'Hypertension (disorder)', '2019-03-02T10:00:00+01:00', { recordedDate: '2019-03-05' }),
      condition('c2', 'Full-time employment (finding)', '2020-01-01'),
      condition('c3', 'Type 2 diabetes mellitus (disorder)', '2021-06-01'),
      condition('c4', 'Medication review due (situation)', '2022-01-01'),
      condition('c5', 'Stress (finding)', '2022-02-01'),
    ]);
    expect(problems.map(p => [p.title, p.meta])).toEqual([
      ['Type 2 diabetes mellitus (disorder)', 'since 2021-06-01 · active · confirmed'],
      ['Hypertension (disorder)', 'since 2019-03-02 · recorded 2019-03-05 · active · confirmed']]);
    expect(social.map(s => s.title)).toEqual(['Stress (finding)', 'Medication review due (situation)',
      'Full-time employment (finding)']);
  });
});

describe('medication list', () => {
  it('gives each drug its dose and instructions, active apart from stopped, a re-ordered drug once', () => {
    const { active, stopped } = medicationLists([
      order('m1', 'Metformin 500 mg tablet', 'active', '2024-01-05', { text: '500 mg twice daily with meals' }),
      order('m0', 'Metformin 500 mg tablet', 'completed', '2023-01-05', { text: '500 mg once daily' }),
      order('m2', 'Amoxicillin 250 mg capsule', 'completed', '2023-06-01', {
        doseAndRate: [{ doseQuantity: { value: 250, unit: 'mg' } }], timing: { repeat: { frequency: 3, period: 1,
          periodUnit: 'd' } } }),
      order('m3', 'Simvastatin 20 mg tablet', 'stopped', '2022-02-02'),
      order('m4', 'Lisinopril 10 mg tablet', 'active', '2024-03-01'),
    ]);
    expect(active.map(a => [a.title, a.detail, a.meta])).toEqual([
      ['Lisinopril 10 mg tablet', 'no dose or instructions recorded', 'started 2024-03-01'],
      ['Metformin 500 mg tablet', '500 mg twice daily with meals', 'started 2024-01-05']]);
    expect(stopped.map(s => [s.title, s.detail, s.meta])).toEqual([
      ['Amoxicillin 250 mg capsule', '250 mg, 3 times a day', 'completed · started 2023-06-01'],
      ['Simvastatin 20 mg tablet', 'no dose or instructions recorded', 'stopped · started 2022-02-02']]);
  });
});
