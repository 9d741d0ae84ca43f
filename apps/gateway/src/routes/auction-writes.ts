import type { AuctionCreate, AuctionPatch, DutchAuctionPatch, EnglishAuctionPatch } from '@dutch/contract';
import {
  type auctions,
  type DbTx,
  draftOf,
  englishDraftOf,
  insertAuction,
  insertEnglishAuction,
  lockAuctionRow,
  updateAuction,
  updateEnglishAuction,
} from '@dutch/db';
import { checkChangeable, validateAuction, validateEnglishAuction } from '@dutch/domain';
import { ApiError, fromDomain } from '../api-error.ts';
import { checkPatchFormat, EMPTY_DUTCH, EMPTY_ENGLISH, mergeDutchDraft, mergeEnglishDraft } from './auction-drafts.ts';

type AuctionRow = typeof auctions.$inferSelect;

/** Writes a checked new auction in a transaction, given its id and seller. */
export type AuctionInsert = (tx: DbTx, id: string, sellerId: string) => Promise<AuctionRow>;

/**
 * Checks a new auction by its format's rules (400 naming each broken rule, before any database
 * work) and returns the write that stores it.
 */
export function prepareInsert(body: AuctionCreate, now: number): AuctionInsert {
  if (body.format === 'english') {
    const checked = validateEnglishAuction(mergeEnglishDraft(EMPTY_ENGLISH, body), now);
    if (!checked.ok) throw fromDomain(checked.error);
    return (tx, id, sellerId) => insertEnglishAuction(tx, id, sellerId, checked.value);
  }
  const checked = validateAuction(mergeDutchDraft(EMPTY_DUTCH, body), now);
  if (!checked.ok) throw fromDomain(checked.error);
  return (tx, id, sellerId) => insertAuction(tx, id, sellerId, checked.value);
}

export interface Change {
  readonly id: string;
  readonly memberId: string;
  readonly now: number;
  readonly input: AuctionPatch;
}

/** Merges the change onto the locked auction and writes it, if the domain accepts the result. */
export async function changeLocked(tx: DbTx, { id, memberId, now, input }: Change): Promise<AuctionRow | undefined> {
  const current = await lockOwned(tx, id, memberId);
  // The other format's fields are a 400, which the order of checks puts before the 409.
  checkPatchFormat(current.format, input);
  checkChangeableAt(current, now);
  if (current.format === 'english') {
    const checked = validateEnglishAuction(
      mergeEnglishDraft(englishDraftOf(current), input as EnglishAuctionPatch),
      now,
    );
    if (!checked.ok) throw fromDomain(checked.error);
    return updateEnglishAuction(tx, id, memberId, checked.value, now);
  }
  const checked = validateAuction(mergeDutchDraft(draftOf(current), input as DutchAuctionPatch), now);
  if (!checked.ok) throw fromDomain(checked.error);
  return updateAuction(tx, id, memberId, checked.value, now);
}

/** Loads the auction for a seller's withdrawal, in the order the contract checks: 404, 403, 409. */
export async function lockForWithdrawal(tx: DbTx, id: string, memberId: string, now: number): Promise<void> {
  checkChangeableAt(await lockOwned(tx, id, memberId), now);
}

/** The locked auction if the member sells it: 404 when there is none, 403 when it is someone else's. */
async function lockOwned(tx: DbTx, id: string, memberId: string): Promise<AuctionRow> {
  const row = await lockAuctionRow(tx, id);
  if (row === undefined) throw new ApiError('NOT_FOUND', 'No such auction.');
  if (row.sellerId !== memberId) throw new ApiError('FORBIDDEN', 'Only the seller can change this auction.');
  return row;
}

function checkChangeableAt(row: AuctionRow, now: number): void {
  const changeable = checkChangeable({ startsAt: row.startsAt }, now);
  if (!changeable.ok) throw fromDomain(changeable.error);
}
