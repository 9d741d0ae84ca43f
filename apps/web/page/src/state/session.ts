import type { Member, MemberCreated } from '@dutch/contract';
import { fetchMe } from '../api/endpoints.ts';
import { ApiError } from '../api/http.ts';
import { createStore, type Store } from './store.ts';

export interface SessionState {
  readonly token: string | null;
  /** null until /members/me answered, or when signed out. */
  readonly member: Member | null;
}

export interface Session extends Store<SessionState> {
  /** Checks the token with the server before keeping it. */
  signIn(token: string): Promise<Member>;
  /** Keeps the member a sign-up just created. */
  adopt(created: MemberCreated): void;
  /** Reloads name and points; a token the server no longer accepts signs the page out. */
  refresh(): Promise<void>;
  setPoints(points: number): void;
  signOut(): void;
}

const TOKEN_KEY = 'dutch-auction.token';

export function createSession(storage: Storage | null): Session {
  const store = createStore<SessionState>({ token: readToken(storage), member: null });

  const keep = (token: string | null, member: Member | null) => {
    writeToken(storage, token);
    store.set({ token, member });
  };

  return {
    ...store,
    async signIn(token) {
      const trimmed = token.trim();
      const member = await fetchMe(trimmed);
      keep(trimmed, member);
      return member;
    },
    adopt(created) {
      const { token, ...member } = created;
      keep(token, member);
    },
    async refresh() {
      const { token } = store.get();
      if (token === null) return;
      try {
        const member = await fetchMe(token);
        if (store.get().token === token) store.set({ token, member });
      } catch (error) {
        if (error instanceof ApiError && error.status === 401) keep(null, null);
      }
    },
    setPoints(points) {
      const { token, member } = store.get();
      if (member !== null) store.set({ token, member: { ...member, points } });
    },
    signOut() {
      keep(null, null);
    },
  };
}

// Storage throws in some private modes; the page then works without remembering the token.
function readToken(storage: Storage | null): string | null {
  try {
    return storage?.getItem(TOKEN_KEY) ?? null;
  } catch {
    return null;
  }
}

function writeToken(storage: Storage | null, token: string | null): void {
  try {
    if (token === null) storage?.removeItem(TOKEN_KEY);
    else storage?.setItem(TOKEN_KEY, token);
  } catch {
    // Not remembered across reloads; nothing else to do.
  }
}
