import { describe, expect, it } from 'vitest';
import { canSeeStock } from './stock-visibility.ts';

describe('canSeeStock', () => {
  it('shows a shown stock to everyone, anonymous included', () => {
    const auction = { sellerId: 'seller', showStock: true };
    expect([canSeeStock(auction, 'seller'), canSeeStock(auction, 'buyer'), canSeeStock(auction, null)]).toEqual([
      true,
      true,
      true,
    ]);
  });

  it('shows a hidden stock to its seller only', () => {
    const auction = { sellerId: 'seller', showStock: false };
    expect([canSeeStock(auction, 'seller'), canSeeStock(auction, 'buyer'), canSeeStock(auction, null)]).toEqual([
      true,
      false,
      false,
    ]);
  });
});
