import { runGateway } from './run-gateway.ts';

/** One gateway process on its own (no live page: `npm start` mounts that through the launcher). */
await runGateway();
