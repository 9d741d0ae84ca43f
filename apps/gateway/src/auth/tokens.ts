import * as crypto from 'node:crypto';
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { v4 as uuidv4 } from 'uuid';

/**
 * Bearer tokens look like `dat_<token id>_<secret>`. The id finds the row (no scan, no
 * secret in an index); only the secret's SHA-256 is stored, compared in constant time.
 */
const TOKEN = /^dat_([0-9a-f]{32})_([A-Za-z0-9_-]{43})$/;

export interface IssuedToken {
  readonly tokenId: string;
  readonly token: string;
  readonly secretHash: Buffer;
}

export function issueToken(): IssuedToken {
  const tokenId = uuidv4();
  const secret = randomBytes(32).toString('base64url');
  return { tokenId, token: `dat_${tokenId.replaceAll('-', '')}_${secret}`, secretHash: hashSecret(secret) };
}

export function parseToken(raw: string): { tokenId: string; secret: string } | null {
  const match = TOKEN.exec(raw);
  if (match === null) return null;
  const hex = match[1] as string;
  const tokenId = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  return { tokenId, secret: match[2] as string };
}

/** Node 20.12+ hashes a short string in one call, without a Hash object per request; older 20.x builds one. */
const oneShot = (crypto as { hash?: (algorithm: string, data: string, encoding: 'buffer') => Buffer }).hash;

function hashSecret(secret: string): Buffer {
  return oneShot === undefined ? createHash('sha256').update(secret).digest() : oneShot('sha256', secret, 'buffer');
}

export function secretMatches(secret: string, storedHash: Uint8Array): boolean {
  const hash = hashSecret(secret);
  return hash.length === storedHash.length && timingSafeEqual(hash, storedHash);
}

/** The bearer credential of an Authorization header, or null when there is none of that form. */
export function bearerOf(header: string | undefined): string | null {
  if (header === undefined) return null;
  const match = /^Bearer[ ]+(\S+)\s*$/i.exec(header);
  return match ? (match[1] as string) : null;
}
