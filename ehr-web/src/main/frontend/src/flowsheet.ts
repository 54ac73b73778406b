/**
 * Vitals and lab flowsheets (issue #20): one row per analyte (by code), one column per day (newest first), each
 * cell the value as recorded (a blood pressure by component code) with its H/L/critical flag; the reference range
 * from the lab's own result. Pure: tested with Vitest.
 */
import { codeText, effectiveOf, observationValueText, parseRecorded, type Observation } from './fhir';
import { resultFlag } from './ips-model';

export interface FlowCell {
  text: string;
  flag?: string;
  /** The entry, for a link. */
  id?: string;
}

export interface FlowRow {
  key: string;
  title: string;
  range: string;
  cells: Record<string, FlowCell>;
}

export interface Flowsheet {
  days: string[];
  rows: FlowRow[];
}

function keyOf(o: Observation): string {
  const c = o.code?.coding?.find(x => x.code);
  return c ? `${c.system ?? ''}|${c.code}` : codeText(o.code);
}

function rangeText(o: Observation): string {
  const r = o.referenceRange?.[0];
  if (!r) return '';
  if (r.text) return r.text;
  const unit = r.high?.unit ?? r.low?.unit ?? o.valueQuantity?.unit ?? '';
  const u = unit ? ` ${unit}` : '';
  if (r.low?.value !== undefined && r.high?.value !== undefined) return `${r.low.value}–${r.high.value}${u}`;
  if (r.high?.value !== undefined) return `≤ ${r.high.value}${u}`;
  if (r.low?.value !== undefined) return `≥ ${r.low.value}${u}`;
  return '';
}

/** The flowsheet of these observations over their newest {@code maxDays} days (the recorded local day). */
export function flowsheet(observations: Observation[], maxDays = 8): Flowsheet {
  const dayOf = (o: Observation) => parseRecorded(effectiveOf(o))?.date.slice(0, 10) ?? '';
  const dated = observations.filter(o => dayOf(o) && o.status !== 'entered-in-error');
  const days = [...new Set(dated.map(dayOf))].sort().reverse().slice(0, maxDays);
  const rows = new Map<string, FlowRow>();
  const newestFirst = [...dated].sort((a, b) => (effectiveOf(b) ?? '').localeCompare(effectiveOf(a) ?? ''));
  for (const o of newestFirst) {
    const key = keyOf(o);
    let row = rows.get(key);
    if (!row) {
      row = { key, title: codeText(o.code) || 'Observation', range: rangeText(o), cells: {} };
      rows.set(key, row);
    }
    if (!row.range) row.range = rangeText(o);
    const day = dayOf(o);
    if (days.includes(day) && !row.cells[day]) {
      row.cells[day] = { text: observationValueText(o), flag: resultFlag(o), id: o.id };
    }
  }
  return { days, rows: [...rows.values()].filter(r => Object.keys(r.cells).length > 0)
    .sort((a, b) => a.title.localeCompare(b.title)) };
}
