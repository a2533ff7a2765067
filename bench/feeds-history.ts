/**
 * Writes the seen history the feeds benchmark starts from, in a process of
 * its own so that the garbage of writing millions of marks at once does not
 * stay in the measured process's memory (a real bot gathers them over
 * months):
 *
 *   node bin/run-ts.mjs bench/feeds-history.ts <sqlite file> <start ISO time> <feed id>...
 *
 * Each feed gets ~2,000 earlier items (4,000 marks, the cap) seen in fetches
 * an hour apart, so its archive is full. The fetches bring 40-160 new items
 * depending on the feed, so that feeds are at different points between two
 * merges of their recent marks into the archive (as they would be), rather
 * than all merging in the same round.
 */
import { SeenItems } from '../src/feeds/seen/seen-items.ts';
import { openStore } from '../src/store/open.ts';

const [file, startIso, ...feedIds] = process.argv.slice(2);
if (!file || !startIso) throw new Error('usage: feeds-history.ts <sqlite file> <start ISO time> <feed id>...');
const store = await openStore(`sqlite://${file}`);
const seen = new SeenItems(store);
const start = new Date(startIso).getTime();
for (const [i, feedId] of feedIds.entries()) {
  const perFetch = 40 + ((i * 13) % 121);
  const fetches = Math.ceil(2000 / perFetch);
  for (let f = 0; f < fetches; f++) {
    const at = new Date(start - (fetches - f) * 3_600_000);
    const items = Array.from({ length: perFetch }, (_, k) => {
      const n = f * perFetch + k;
      return { identity: `f${i}-old-${n}`, title: `Earlier story ${n} from site ${i} about the talks` };
    });
    const set = await seen.forFeed(feedId, at);
    await set.mark(items, at);
    await set.save(at);
  }
}
await store.close();
