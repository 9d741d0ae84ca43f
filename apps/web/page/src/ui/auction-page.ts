import type { AppContext } from './app-context.ts';
import { createAuctionShell, loadAuctionView } from './auction-shell.ts';
import { mountDutchAuction } from './dutch-auction-page.ts';
import { mountEnglishAuction } from './english-auction-page.ts';

/** One auction, live: its view decides which page it gets, Dutch (price falls) or English (bids raise it). */
export function renderAuctionPage(ctx: AppContext, id: string, signal: AbortSignal): HTMLElement {
  const shell = createAuctionShell();
  void loadAuctionView(ctx, id, shell, signal).then((view) => {
    if (view === null || signal.aborted) return;
    if (view.format === 'english') mountEnglishAuction(ctx, shell, view, signal);
    else mountDutchAuction(ctx, shell, view, signal);
  });
  return shell.element;
}
