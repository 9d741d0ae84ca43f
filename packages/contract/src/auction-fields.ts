import { MAX_PRICE } from '@dutch/domain';
import { instant, int, text } from './common.ts';

/** What every format's auction is called, where its price starts and when it runs. */
export const sharedAuctionFields = {
  title: text().max(200),
  description: text().max(10_000).optional(),
  startPrice: int(1, MAX_PRICE),
  startsAt: instant,
  endsAt: instant,
};
