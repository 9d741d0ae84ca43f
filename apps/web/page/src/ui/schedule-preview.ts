import { type PriceSchedule, priceSteps, stepStartsAt } from '@dutch/domain';
import { formatClock, formatPoints } from '../lib/format.ts';
import { summarizeSchedule } from '../lib/schedule-summary.ts';
import { h, setText } from './dom.ts';
import { createPriceChart } from './price-chart.ts';

export interface SchedulePreview {
  readonly element: HTMLElement;
  /** Draws the schedule, or says why it cannot when null. */
  show(schedule: PriceSchedule | null): void;
}

/** Enough rows to read a schedule; a one-second, one-hour auction has 3600 steps. */
const MAX_TABLE_ROWS = 120;

function createStepsTable(body: HTMLElement): HTMLElement {
  return h(
    'table',
    { class: 'steps', 'data-testid': 'preview-table' },
    h('caption', { class: 'visually-hidden' }, 'Price at each step'),
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        h('th', { scope: 'col' }, 'Step'),
        h('th', { scope: 'col' }, 'From'),
        h('th', { scope: 'col' }, 'Price'),
      ),
    ),
    body,
  );
}

function createPreviewElements(chartElement: SVGSVGElement) {
  const summary = h('p', { 'data-testid': 'preview-summary', 'aria-live': 'polite' });
  const body = h('tbody');
  const more = h('p', { class: 'hint' });
  const details = h('details', {}, h('summary', {}, 'Every step'), createStepsTable(body), more);
  const figure = h('figure', { class: 'chart-card' }, chartElement);
  const element = h(
    'section',
    { class: 'card preview', 'aria-labelledby': 'preview-heading' },
    h('h2', { id: 'preview-heading' }, 'Price schedule'),
    summary,
    figure,
    details,
  );
  return { element, summary, body, more, details, figure };
}

/** One row a step, up to MAX_TABLE_ROWS, and how many more there are. */
function fillStepsTable(body: HTMLElement, more: HTMLElement, schedule: PriceSchedule): void {
  const steps = priceSteps(schedule);
  body.replaceChildren(
    ...steps
      .slice(0, MAX_TABLE_ROWS)
      .map((price, k) =>
        h(
          'tr',
          {},
          h('td', {}, String(k + 1)),
          h('td', {}, formatClock(stepStartsAt(schedule, k))),
          h('td', {}, formatPoints(price)),
        ),
      ),
  );
  setText(more, steps.length > MAX_TABLE_ROWS ? `…and ${steps.length - MAX_TABLE_ROWS} more steps.` : '');
}

/** The price schedule a seller is about to create: a chart, a sentence, and every step on request. */
export function createSchedulePreview(signal: AbortSignal): SchedulePreview {
  const chart = createPriceChart('preview-chart', signal);
  const { element, summary, body, more, details, figure } = createPreviewElements(chart.element);

  let current: PriceSchedule | null = null;
  let shownKey = '';
  const fillTable = () => {
    if (!details.open || current === null) return;
    fillStepsTable(body, more, current);
  };
  // Building thousands of rows on every keystroke is wasted work while the table is closed.
  details.addEventListener('toggle', fillTable);

  return {
    element,
    show(schedule) {
      // The form re-checks every second; redraw only when the schedule itself changed.
      const key = JSON.stringify(schedule);
      if (key === shownKey) return;
      shownKey = key;
      current = schedule;
      figure.hidden = schedule === null;
      details.hidden = schedule === null;
      if (schedule === null) {
        setText(summary, 'Fix the highlighted fields to see the price schedule.');
        return;
      }
      setText(summary, summarizeSchedule(schedule));
      chart.update(schedule, null);
      fillTable();
    },
  };
}
