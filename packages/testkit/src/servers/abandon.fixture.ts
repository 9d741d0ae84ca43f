/**
 * For test/faults/servers.test.ts: starts a private Redis and PostgreSQL, says where they are,
 * then dies without cleaning up (SIGKILL to itself), as a crashed test process would.
 */
import { startPrivatePostgres } from './postgres-server.ts';
import { startPrivateRedis } from './redis-server.ts';
import { createSandbox } from './sandbox.ts';

const sandbox = createSandbox('abandoned');
const redis = await startPrivateRedis(sandbox);
const pg = await startPrivatePostgres(sandbox);
console.log(JSON.stringify({ dir: sandbox.dir, redisPid: redis.pid(), postmasterPid: pg.pid() }));
process.kill(process.pid, 'SIGKILL');
