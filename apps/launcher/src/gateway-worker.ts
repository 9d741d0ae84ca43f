import { runGateway } from '@dutch/gateway';
import { mountWeb } from '@dutch/web';

/** What each node:cluster worker of `npm start` runs: a gateway that also serves the live page. */
await runGateway({ extraRoutes: mountWeb });
