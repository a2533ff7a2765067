import { createShutdown } from '../../src/ops/shutdown.ts';
import { createLease, runAsLeader } from '../../src/store/lease.ts';
import { openStore } from '../../src/store/open.ts';

/**
 * One bot process contending for a lease, for the fault tests. Prints JSON
 * lines on stdout:
 *   {"event":"elected","token":3,"at":...}      this process now leads
 *   {"event":"work","token":3,"at":...}         a unit of leader work, done only after isLeader() said yes
 *   {"event":"demoted","token":3,"reason":"expired","at":...}
 *   {"event":"store","ok":false,"at":...}       the store stopped (or started again) answering a ping
 * SIGTERM runs the real shutdown coordinator: stop leading (releasing the
 * lease), close the store, exit 0.
 *
 * Arguments: <storeUrl> <keyPrefix> <leaseName> <holderId> <ttlMs> <renewEveryMs> <retryEveryMs>
 */
const [storeUrl, keyPrefix, leaseName, holderId, ttl, renewEvery, retryEvery] = process.argv.slice(2);
const say = (event: Record<string, unknown>) => console.log(JSON.stringify({ ...event, at: Date.now() }));

const store = await openStore(storeUrl!, { keyPrefix });
const leadership = runAsLeader({
  lease: createLease(store, leaseName!, holderId, Number(ttl)),
  renewEveryMs: Number(renewEvery),
  retryEveryMs: Number(retryEvery),
  onElected: (token) => say({ event: 'elected', token }),
  onDemoted: (reason, token) => say({ event: 'demoted', token, reason }),
});

// Leader work: small units, each done only after checking leadership, as the scheduler would before each post.
const work = setInterval(() => {
  const token = leadership.token;
  if (leadership.isLeader() && token !== undefined) say({ event: 'work', token });
}, 40);

let storeOk: boolean | undefined;
const ping = setInterval(() => {
  store.ping().then(
    () => storeOk !== true && say({ event: 'store', ok: (storeOk = true) }),
    () => storeOk !== false && say({ event: 'store', ok: (storeOk = false) }),
  );
}, 100);

const shutdown = createShutdown({ timeoutMs: 5000 });
shutdown.add('stop leader work', () => {
  clearInterval(work);
  clearInterval(ping);
});
shutdown.add('stop leading and release the lease', () => leadership.stop());
shutdown.add('close store', () => store.close());
shutdown.listen();
