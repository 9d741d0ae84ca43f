import type { EnglishDraft } from '@dutch/domain';
import { firstMinimums, PREVIEW_BIDS, summarizeEnglish } from '../lib/english-increments.ts';
import { formatPoints } from '../lib/format.ts';
import { h, setText } from './dom.ts';

export interface EnglishPreview {
  readonly element: HTMLElement;
  /** Shows the increments, or says why it cannot when null. */
  show(draft: EnglishDraft | null): void;
}

const ORDINALS = ['First', 'Second', 'Third', 'Fourth', 'Fifth'];

/** What bidders will meet: the first bids' minimums, the soft close, the reserve. */
export function createEnglishPreview(): EnglishPreview {
  const increments = h('p', { 'data-testid': 'preview-increments', 'aria-live': 'polite' });
  const list = h('ol', { class: 'minimums', 'data-testid': 'preview-minimums' });
  const softClose = h('p', { class: 'hint', 'data-testid': 'preview-soft-close' });
  const reserve = h('p', { class: 'hint', 'data-testid': 'preview-reserve' });
  const element = h(
    'section',
    { class: 'card preview', 'aria-labelledby': 'english-preview-heading' },
    h('h2', { id: 'english-preview-heading' }, 'Bids'),
    increments,
    list,
    softClose,
    reserve,
  );
  let shownKey = '';

  return {
    element,
    show(draft) {
      // The form re-checks every second; rebuild only when the draft's bidding terms changed.
      const key = JSON.stringify(
        draft && [draft.startPrice, draft.minIncrement, draft.reservePrice, draft.extendSeconds],
      );
      if (key === shownKey) return;
      shownKey = key;
      list.hidden = draft === null;
      if (draft === null) {
        setText(increments, 'Fix the highlighted fields to see the bids.');
        setText(softClose, '');
        setText(reserve, '');
        return;
      }
      const words = summarizeEnglish(draft);
      setText(increments, words.increments);
      setText(softClose, words.softClose);
      setText(reserve, words.reserve);
      list.replaceChildren(
        ...firstMinimums(draft, PREVIEW_BIDS).map((least, i) =>
          h('li', {}, `${ORDINALS[i] ?? `Bid ${i + 1}`} bid: at least ${formatPoints(least)} points`),
        ),
      );
    },
  };
}
