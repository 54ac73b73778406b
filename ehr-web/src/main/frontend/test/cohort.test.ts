import { breakdownRows, emptyResultNote, emptyRow, freshnessText, parseCodes, problems, toDefinition,
  type BuilderState, type CohortResult } from '../src/cohort-model';

const state = (rows: BuilderState['rows'], match: 'and' | 'or' = 'and'): BuilderState =>
  ({ match, indexDate: '2025-01-01', rows });

describe('cohort builder model', () => {
  it('builds an AND of criteria, with exclusions as NOT groups and observation values', () => {
    const hba1c = { ...emptyRow('observation'), codes: 'http://loinc.org|4548-4', comparator: 'gt', value: '8',
      unit: '%', from: '2024-01-01' };
    const metformin = { ...emptyRow('medication'), codes: 'http://www.nlm.nih.gov/research/umls/rxnorm|860975',
      exclude: true };
    const women = { ...emptyRow('demographics'), gender: 'female', minAge: '40' };
    expect(toDefinition(state([women, hba1c, metformin]), 'x')).toEqual({
      name: 'x', indexDate: '2025-01-01', criteria: { op: 'and', items: [
        { type: 'demographics', gender: 'female', minAge: 40 },
        { type: 'observation', codes: ['http://loinc.org|4548-4'], window: { from: '2024-01-01' },
          value: { comparator: 'gt', value: 8, unit: '%' } },
        { op: 'not', items: [{ type: 'medication', codes: ['http://www.nlm.nih.gov/research/umls/rxnorm|860975'] }] },
      ] } });
  });

  it('sends a single criterion without a group, and OR when "any" is chosen', () => {
    const enc = emptyRow('encounter');
    expect(toDefinition(state([enc])).criteria).toEqual({ type: 'encounter' });
    expect((toDefinition(state([enc, enc], 'or')).criteria as { op: string }).op).toBe('or');
  });

  it('reads codes from lines or commas', () => {
    expect(parseCodes(' a|1,\nb|2 \n\n')).toEqual(['a|1', 'b|2']);
  });

  it('lists what the user must fix before running', () => {
    expect(problems(state([]))).toEqual(['Add at least one criterion.']);
    const bad = { ...emptyRow('condition'), codes: '44054006' };
    expect(problems(state([bad]))).toContain('Criterion 1: "44054006" is not system|code.');
    expect(problems(state([{ ...emptyRow('condition'), codes: 'a|b', exclude: true }])))
      .toContain('A cohort needs at least one criterion that is not excluded.');
    expect(problems(state([{ ...emptyRow('observation'), codes: 'a|b', comparator: 'gt' }]))[0])
      .toMatch(/comparator, a number and a unit/);
    expect(problems(state([{ ...emptyRow('condition'), codes: 'a|b' }]))).toEqual([]);
  });

  it('shows suppressed cells as given and shares only for numbers', () => {
    const result: CohortResult = { count: 20, tookMs: 3, indexDate: '2025-01-01', population: 'all',
      breakdowns: { gender: { female: 15, male: '<5', other: '<5' } } };
    expect(breakdownRows(result, 'gender')).toEqual([
      { label: 'female', value: '15', share: '75 %' },
      { label: 'male', value: '<5', share: '' },
      { label: 'other', value: '<5', share: '' }]);
  });

  it('shows a complementary-suppressed cell as suppressed, never as <5', () => {
    const result: CohortResult = { count: 27, tookMs: 3, indexDate: '2025-01-01', population: 'all',
      breakdowns: { gender: { female: 'suppressed', male: 14, other: 'suppressed' } } };
    expect(breakdownRows(result, 'gender').map(r => r.value)).toEqual(['suppressed', '14', 'suppressed']);
  });

  it('explains a count of 0 persons who consented to research use', () => {
    const base: CohortResult = { count: 0, tookMs: 3, indexDate: '2025-01-01', population: 'research-consented',
      breakdowns: {} };
    expect(emptyResultNote(base)).toMatch(/nobody matching these criteria has given research consent/);
    expect(emptyResultNote({ ...base, population: 'all' })).toMatch(/Nobody .* matches/);
    expect(emptyResultNote({ ...base, count: 12 })).toBeUndefined();
  });

  it('says how far the index lags behind', () => {
    expect(freshnessText(undefined)).toBeUndefined();
    expect(freshnessText(0)).toBe('Index up to date');
    expect(freshnessText(42)).toBe('Index 42 s behind: changes of the last 42 s are not counted yet');
    expect(freshnessText(600)).toBe('Index 10 min behind: changes of the last 10 min are not counted yet');
  });
});
