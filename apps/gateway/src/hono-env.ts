import type { Deadline } from './http/deadline.ts';

/** What middleware puts on the request context. */
export interface HonoEnv {
  Variables: {
    member?: { id: string; tokenId: string };
    requestId: string;
    /** The request's race against REQUEST_TIMEOUT_MS (absent on live streams, which have none). */
    deadline?: Deadline;
  };
}
