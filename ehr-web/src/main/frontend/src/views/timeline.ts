import { ApiError, type Api } from '../api';
import { h, mount } from '../dom';
import { parseRecorded, zoneText } from '../fhir';
import { categoryLabel, endOfMonth, groupByDayAndEncounter, mergeEntries, monthAxis, timelinePath, type DayGroup,
  type TimelineEntry, type TimelineFilters, type TimelinePage } from '../timeline-model';

export interface TimelineOptions {
  api: Api;
  patientId: string;
  /** Link of an entry's detail screen. */
  entryLink(entry: TimelineEntry): string;
  /** Institution display name for a tenant id (entries also carry the name). */
  institutionName(tenant: string | undefined): string | undefined;
  /** The API refused this patient (403, or a structured 404): offer break-the-glass. */
  onDenied(error: ApiError): void;
  /** For tests: the observer used for infinite scroll. */
  observe?: (target: Element, onVisible: () => void) => () => void;
}

/** "2024-05-14T10:20:00+02:00" → "10:20"; a date without time → "" (ADR 0017: never an invented 00:00). */
export function recordedTime(effective: string | undefined): string {
  return parseRecorded(effective)?.time ?? '';
}

function viewportObserver(target: Element, onVisible: () => void): () => void {
  const io = new IntersectionObserver(items => {
    if (items.some(i => i.isIntersecting)) onVisible();
  }, { rootMargin: '600px 0px' });
  io.observe(target);
  return () => io.disconnect();
}

/**
 * The longitudinal timeline: newest first, grouped by day and encounter, filterable, with a month overview strip
 * to jump in time and infinite scroll (IntersectionObserver on a sentinel below the list; a "Load more" button
 * does the same for keyboard users).
 */
/** The heading of entries recorded in an encounter whose own entry is not shown (issue #20: it read a bare "Encounter"). */
export const ENCOUNTER_NOT_SHOWN = 'Encounter details not shown';
const ENCOUNTER_NOT_SHOWN_WHY = 'These entries were recorded in an encounter whose own entry is not in the list shown:'
  + ' it may be further down, left out by a filter, or not shared with you.';

export class TimelineView {
  readonly element: HTMLElement;
  private filters: TimelineFilters = {};
  private entries: TimelineEntry[] = [];
  private next: string | null = null;
  private loading = false;
  private generation = 0;
  private firstPaint = true;
  private lastDay: { day: string; el: HTMLElement; encounters: Map<string, HTMLElement> } | undefined;
  private readonly list = h('ol', { class: 'days', 'aria-label': 'Timeline entries, newest first' });
  private readonly status = h('p', { class: 'status', role: 'status' });
  private readonly withheldNote = h('p', { class: 'withheld-note', role: 'note', hidden: true },
    h('span', { 'aria-hidden': 'true' }, '⊘ '), 'Some information may be withheld: the patient’s sharing '
    + 'settings leave sensitive categories out of what you can see.');
  private readonly overview = h('nav', { class: 'overview', 'aria-label': 'Entries per month: jump in time' });
  private readonly filterForm: HTMLFormElement;
  private readonly more = h('button', { type: 'button', class: 'link more', hidden: true }, 'Load more');
  private readonly sentinel = h('div', { class: 'sentinel', 'aria-hidden': 'true' });
  private readonly stop: () => void;
  private readonly encounterTitles = new Map<string, string>();
  private fullHistogram: TimelinePage['histogram'];

  constructor(private readonly options: TimelineOptions) {
    this.filterForm = this.buildFilters();
    this.more.addEventListener('click', () => void this.loadMore());
    this.element = h('section', { class: 'timeline', 'aria-labelledby': 'timeline-title' },
      h('div', { class: 'timeline-head' }, h('h2', { id: 'timeline-title' }, 'Timeline'), this.status),
      this.withheldNote, this.filterForm, this.overview, this.list, this.more, this.sentinel);
    this.stop = (options.observe ?? viewportObserver)(this.sentinel, () => void this.loadMore());
  }

  dispose(): void {
    this.stop();
    this.generation += 1;
  }

  /** (Re)loads from the newest entry with the current filters. */
  async reload(): Promise<void> {
    const generation = ++this.generation;
    this.entries = [];
    this.next = null;
    this.lastDay = undefined;
    this.list.replaceChildren();
    this.list.setAttribute('aria-busy', 'true');
    this.status.textContent = 'Loading…';
    this.loading = true;
    try {
      const page = await this.options.api.get<TimelinePage>(timelinePath(this.options.patientId, this.filters));
      if (generation !== this.generation) return;
      this.withheldNote.hidden = !page.withheld;
      this.renderFacets(page);
      this.renderOverview(page);
      this.append(page);
      if (this.firstPaint) {
        this.firstPaint = false;
        // After the browser painted the first page: the figure docs/benchmarks.md reports.
        const raf = globalThis.requestAnimationFrame ?? ((f: () => void) => setTimeout(f, 0));
        raf(() => performance.mark('timeline-first-paint'));
      }
    } catch (e) {
      if (generation !== this.generation) return;
      this.status.textContent = '';
      if (e instanceof ApiError && e.denied) this.options.onDenied(e);
      else this.list.replaceChildren(this.errorItem(e));
    } finally {
      if (generation === this.generation) {
        this.loading = false;
        this.list.removeAttribute('aria-busy');
      }
    }
  }

  async loadMore(): Promise<void> {
    if (this.loading || !this.next) return;
    const generation = this.generation;
    this.loading = true;
    this.more.disabled = true;
    try {
      const page = await this.options.api.get<TimelinePage>(
        timelinePath(this.options.patientId, this.filters, this.next));
      if (generation === this.generation) this.append(page);
    } catch (e) {
      if (generation === this.generation) this.list.appendChild(this.errorItem(e));
      this.next = null;
    } finally {
      if (generation === this.generation) {
        this.loading = false;
        this.more.disabled = false;
      }
    }
  }

  get shownEntries(): readonly TimelineEntry[] {
    return this.entries;
  }

  private append(page: TimelinePage): void {
    const fresh = mergeEntries(this.entries, page.entries).slice(this.entries.length);
    this.entries = this.entries.concat(fresh);
    this.next = page.next;
    for (const e of fresh) {
      if (e.type === 'Encounter' && e.title) this.encounterTitles.set(`Encounter/${e.id}`, e.title);
    }
    this.nameEncountersNowKnown();
    this.renderGroups(groupByDayAndEncounter(fresh));
    this.more.hidden = !this.next;
    this.status.textContent = this.entries.length === 0 ? 'No entries match.'
      : `${this.entries.length} of ${page.total} entries shown${this.next ? '' : ' · end of record'}`;
  }

  private renderGroups(days: DayGroup[]): void {
    for (const day of days) {
      if (this.lastDay?.day !== day.day) {
        const el = h('li', { class: 'day', 'data-day': day.day },
          h('h3', { class: 'day-title' }, h('time', { datetime: day.day }, day.day === 'undated' ? 'Undated' : day.day)));
        this.list.appendChild(el);
        this.lastDay = { day: day.day, el, encounters: new Map() };
      }
      for (const group of day.encounters) {
        const key = group.encounter ?? '';
        let ul = this.lastDay.encounters.get(key);
        if (!ul) {
          ul = h('ul', { class: 'entries' });
          this.lastDay.el.appendChild(h('div', { class: `encounter${group.encounter ? '' : ' no-encounter'}`,
            'data-encounter': group.encounter ?? '' },
            group.encounter ? this.encounterHeading(group.encounter) : null, ul));
          this.lastDay.encounters.set(key, ul);
        }
        for (const entry of group.entries) ul.appendChild(this.entryItem(entry));
      }
    }
  }

  /**
   * An encounter's heading: its type as its own timeline entry names it. Until that entry is among the entries shown
   * (it is usually further down: an encounter starts before what is recorded in it), or when it never will be (the
   * viewer may not read it, or a filter leaves it out), the entries are grouped under a label that says only that —
   * nothing from the entries' reference, whose display the writer chose and the Encounter itself may withhold.
   */
  private encounterHeading(encounter: string): HTMLElement {
    const title = this.encounterTitles.get(encounter);
    return title ? h('h4', { class: 'encounter-title' }, title)
      : h('h4', { class: 'encounter-title unnamed', title: ENCOUNTER_NOT_SHOWN_WHY }, ENCOUNTER_NOT_SHOWN);
  }

  /** Headings drawn before their encounter's entry arrived on a later page take its name now. */
  private nameEncountersNowKnown(): void {
    for (const heading of this.list.querySelectorAll<HTMLElement>('.encounter-title.unnamed')) {
      const encounter = heading.parentElement?.getAttribute('data-encounter') ?? '';
      const title = this.encounterTitles.get(encounter);
      if (title) heading.replaceWith(h('h4', { class: 'encounter-title' }, title));
    }
  }

  private entryItem(e: TimelineEntry): HTMLElement {
    const where = h('span', { class: 'source', title: 'Source institution and country' },
      e.institution ?? this.options.institutionName(e.tenant) ?? e.tenant ?? '', e.country ? ` · ${e.country}` : '');
    // The time as recorded at the source (like the day heading), with its UTC offset, not shifted into the
    // browser's zone; a date-only entry shows no time (ADR 0017).
    const recorded = parseRecorded(e.effective);
    const time = h('time', { class: 'when', datetime: e.effective ?? '',
      title: recorded?.time ? `${recorded.date} ${recorded.time} ${zoneText(recorded)}` : 'date only, no time recorded' },
    recorded?.time ?? '', recorded?.time ? h('span', { class: 'tz' }, recorded.zone ?? 'no zone') : null);
    const category = h('span', { class: `cat cat-${e.category ?? 'other'}` }, categoryLabel(e.category));
    if (e.withheld) {
      return h('li', { class: 'entry withheld', 'data-entry': `${e.type}/${e.id}` }, time, category,
        h('span', { class: 'title' }, h('span', { class: 'lock', 'aria-hidden': 'true' }, '⊘ '),
          'Withheld by the patient\u2019s sharing settings'), where);
    }
    // Entered in error (issue #20): kept in view, struck through and marked, never silently gone
    const wrong = e.status === 'entered-in-error';
    return h('li', { class: wrong ? 'entry entered-in-error' : 'entry', 'data-entry': `${e.type}/${e.id}` }, time,
      category, h('a', { class: 'title', href: this.options.entryLink(e) }, e.title ?? `${e.type}`),
      h('span', { class: 'detail' }, wrong ? h('span', { class: 'eie-badge' }, 'Entered in error') : e.detail ?? ''),
      where);
  }

  private errorItem(e: unknown): HTMLElement {
    const notThere = e instanceof ApiError && e.status === 404 && !e.structured;
    return h('li', { class: 'error', role: 'alert' }, notThere
      ? 'The timeline service is not available on this server (404).'
      : `The timeline could not be loaded: ${e instanceof Error ? e.message : e}`);
  }

  private buildFilters(): HTMLFormElement {
    const input = (name: string, type: string, label: string) => {
      const el = h('input', { type, name, id: `tl-${name}` });
      return { el, wrap: h('div', { class: 'field' }, h('label', { for: `tl-${name}` }, label), el) };
    };
    const select = (name: string, label: string) => {
      const el = h('select', { name, id: `tl-${name}` }, h('option', { value: '' }, 'All'));
      return { el, wrap: h('div', { class: 'field' }, h('label', { for: `tl-${name}` }, label), el) };
    };
    const category = select('category', 'Category');
    const institution = select('institution', 'Institution');
    const from = input('from', 'date', 'From');
    const to = input('to', 'date', 'To');
    const q = input('q', 'search', 'Text');
    const billing = h('input', { type: 'checkbox', name: 'billing', id: 'tl-billing' });
    billing.addEventListener('change', () => form.requestSubmit());
    const form = h('form', { class: 'filters', 'aria-label': 'Filter the timeline',
      onsubmit: (ev: Event) => {
        ev.preventDefault();
        this.filters = { category: category.el.value || undefined, institution: institution.el.value || undefined,
          from: from.el.value || undefined, to: to.el.value || undefined, q: q.el.value || undefined,
          billing: billing.checked || undefined };
        void this.reload();
      } },
    category.wrap, institution.wrap, from.wrap, to.wrap, q.wrap,
    h('div', { class: 'field check' }, billing, h('label', { for: 'tl-billing' }, 'Show billing (claims)')),
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Apply'),
      h('button', { type: 'reset', class: 'link', onclick: () => {
        setTimeout(() => { this.filters = {}; void this.reload(); });
      } }, 'Clear')));
    return form;
  }

  /** Fills the category/institution choices from the facets, keeping the current choice. */
  private renderFacets(page: TimelinePage): void {
    const fill = (name: string, items: { key: string; label: string; count: number }[]) => {
      const sel = this.filterForm.querySelector<HTMLSelectElement>(`select[name=${name}]`)!;
      const current = sel.value;
      mount(sel, h('option', { value: '' }, 'All'),
        items.map(i => h('option', { value: i.key }, `${i.label} (${i.count})`)));
      if (current && !items.some(i => i.key === current)) sel.appendChild(h('option', { value: current }, current));
      sel.value = current;
    };
    fill('category', (page.facets?.category ?? []).map(c => ({ ...c, label: categoryLabel(c.key) })));
    fill('institution', (page.facets?.institution ?? []).map(c => ({ ...c,
      label: c.name ?? this.options.institutionName(c.key) ?? c.key })));
  }

  /** The month strip: one bar per month (oldest left), height by count; a click shows that month and earlier. */
  private renderOverview(page: TimelinePage): void {
    // After a jump the server's histogram ends at the jump; keep the full strip so one can jump forward again.
    if (!this.filters.to || !this.fullHistogram) this.fullHistogram = page.histogram ?? [];
    const months = monthAxis(this.fullHistogram);
    const max = Math.max(1, ...months.map(m => m.count));
    const jump = this.filters.to
      ? h('span', { class: 'jump' }, `Showing up to ${this.filters.to} `,
        h('button', { type: 'button', class: 'link', onclick: () => this.jumpTo(undefined) }, 'Back to newest'))
      : null;
    mount(this.overview, months.length ? h('div', { class: 'bars' }, months.map(m => m.count === 0
      ? h('span', { class: 'bar empty', 'data-month': m.month, 'aria-hidden': 'true' }) : h('button', {
      type: 'button', class: `bar${this.filters.to?.startsWith(m.month) ? ' current' : ''}`,
      'data-month': m.month, title: `${m.month}: ${m.count} entries`,
      'aria-label': `${m.month}, ${m.count} entries`, onclick: () => this.jumpTo(m.month),
    }, h('span', { style: `height:${Math.max(8, Math.round((m.count / max) * 100))}%` })))) : null,
    months.length ? h('div', { class: 'axis' }, h('span', null, months[0].month),
      h('span', null, months[months.length - 1].month)) : null, jump);
  }

  private jumpTo(month: string | undefined): void {
    this.filters = { ...this.filters, to: month ? endOfMonth(month) : undefined };
    const to = this.filterForm.querySelector<HTMLInputElement>('input[name=to]')!;
    to.value = this.filters.to ?? '';
    void this.reload();
  }
}
