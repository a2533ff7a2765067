import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeFeedBytes } from '../../src/feeds/fetch/charset.ts';
import { itemBlocks } from '../../src/feeds/parse/item-blocks.ts';
import { parseFeed, type FeedItem, type ParsedFeed } from '../../src/feeds/parse/parse.ts';

/**
 * A poll leaves the items it has seen out of the parse (parse.ts,
 * item-blocks.ts). What a reader gets must not change: for any set of known
 * items, the new items come out exactly as the full parse makes them.
 */

const NOW = new Date('2024-06-01T00:00:00Z');
const BASE = 'https://base.example/feed';
const FIXTURES = new URL('../fixtures/feeds/', import.meta.url);

/** Every field a reader sees (the item's getters included, which deep equality would not call). */
const view = (item: FeedItem) => ({
  identity: item.identity,
  title: item.title,
  link: item.link,
  published: item.published,
  paragraphs: item.paragraphs,
  author: item.author,
});

async function parse(text: string, known?: Set<string>): Promise<ParsedFeed | undefined> {
  const result = await parseFeed(text, NOW, BASE, known ? { isKnown: (identity) => known.has(identity) } : {});
  return result.ok ? result.feed : undefined;
}

/** A small seeded generator: the same subsets on every run. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

/**
 * Checks the new path against the full parse for `rounds` random known sets;
 * returns how many items were left out unparsed over all rounds.
 */
async function checkEquivalence(text: string, rounds: number, seed = 1): Promise<number> {
  const full = await parse(text);
  const next = random(seed);
  let leftOut = 0;
  for (let round = 0; round < rounds; round++) {
    const known = new Set<string>();
    if (full) for (const item of full.items) if (next() < 0.6) known.add(item.identity);
    const fast = await parse(text, known);
    if (!full) {
      expect(fast).toBeUndefined();
      continue;
    }
    expect(fast).toBeDefined();
    // Same feed head, same new items in the same order, and the known ones still counted.
    expect(fast!.title).toBe(full.title);
    expect(fast!.link).toBe(full.link);
    expect(fast!.items.filter((i) => !known.has(i.identity)).map(view)).toEqual(full.items.filter((i) => !known.has(i.identity)).map(view));
    expect(fast!.items.length + (fast!.knownLeftOut ?? 0)).toBe(full.items.length);
    leftOut += fast!.knownLeftOut ?? 0;
  }
  return leftOut;
}

const rss = (items: string[]) =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0">\n<channel>\n<title>Generated</title>\n<link>https://gen.example/</link>\n${items.join('\n')}\n</channel>\n</rss>\n`;

const rssItem = (i: number, extra = '') =>
  `<item><title>Korea talks story ${i}</title><link>https://gen.example/${i}</link><guid isPermaLink="false">g-${i}</guid>` +
  `<pubDate>Mon, 0${(i % 9) + 1} Apr 2024 08:00:00 GMT</pubDate><description>&lt;p&gt;Paragraph ${i} &amp; more&lt;/p&gt;</description>${extra}</item>`;

const atom = (entries: string[]) =>
  `<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">\n<title>Generated Atom</title>\n<link href="https://atom.example/"/>\n<id>urn:feed</id>\n${entries.join('\n')}\n</feed>\n`;

const atomEntry = (i: number) =>
  `<entry><title type="html">Peace &lt;b&gt;process&lt;/b&gt; ${i}</title><link rel="alternate" href="https://atom.example/${i}"/>` +
  `<id>tag:atom.example,2024:${i}</id><updated>2024-04-0${(i % 9) + 1}T08:00:00Z</updated><content type="html"><![CDATA[<p>Body ${i}</p>]]></content></entry>`;

describe('GIVEN a feed some of whose items were seen before', () => {
  const fixtureNames = readdirSync(FIXTURES).filter((name) => /\.(xml|rdf|html)$/.test(name));

  it.each(fixtureNames)('WHEN %s is parsed leaving the known items out THEN the new items are exactly those of the full parse', async (name) => {
    const text = decodeFeedBytes(readFileSync(new URL(name, FIXTURES))).text;
    await checkEquivalence(text, 12);
  });

  it('leaves known items of guid-carrying fixtures unparsed (RSS 2.0, Atom)', async () => {
    for (const name of ['rss-2.0.xml', 'atom.xml']) {
      const text = decodeFeedBytes(readFileSync(new URL(name, FIXTURES))).text;
      expect(await checkEquivalence(text, 12)).toBeGreaterThan(0);
    }
  });

  it('holds for generated RSS and Atom feeds of fifty items, references and CDATA bodies included', async () => {
    const items = Array.from({ length: 50 }, (_, i) =>
      rssItem(i, i % 7 === 0 ? `<content:encoded><![CDATA[<p>Rich ${i} <item>not an item</item> &nbsp;</p>]]></content:encoded>` : ''),
    );
    items[3] = items[3]!.replace('g-3', ' g-3 &amp; &#x41;&#66; ');
    const rssText = rss(items).replace('<rss version="2.0">', '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">');
    expect(await checkEquivalence(rssText, 20, 7)).toBeGreaterThan(0);
    expect(await checkEquivalence(atom(Array.from({ length: 50 }, (_, i) => atomEntry(i))), 20, 9)).toBeGreaterThan(0);
  });

  it('leaves out only the known blocks: the others come back, the known are counted', async () => {
    const text = rss([1, 2, 3, 4].map((i) => rssItem(i)));
    const feed = await parse(text, new Set(['guid:g-2', 'guid:g-4']));
    expect(feed!.items.map((i) => i.identity)).toEqual(['guid:g-1', 'guid:g-3']);
    expect(feed!.knownLeftOut).toBe(2);
  });
});

describe('GIVEN a feed the block scan cannot read with certainty', () => {
  const known = new Set(['guid:g-1', 'guid:g-2', 'guid:same']);
  const cases: Record<string, string> = {
    'a guid in CDATA': rss([rssItem(1).replace('g-1', '<![CDATA[g-1]]>'), rssItem(2), rssItem(3)]),
    'a comment inside an item': rss([rssItem(1, '<!-- <guid>g-9</guid> -->'), rssItem(2), rssItem(3)]),
    'duplicate guids': rss([rssItem(1), rssItem(2), rssItem(3).replace('g-3', 'g-1')]),
    'an item nested in an item': rss([rssItem(1, '<item><guid>g-8</guid></item>'), rssItem(2), rssItem(3)]),
    'an item without a guid': rss([rssItem(1), rssItem(2), rssItem(3).replace(/<guid[^]*<\/guid>/, '')]),
    'an unknown entity inside an item': rss([rssItem(1, '<x>&nbsp;</x>'), rssItem(2), rssItem(3)]),
    'a bare ampersand inside an item': rss([rssItem(1, '<x>fish & chips;</x>'), rssItem(2), rssItem(3)]),
    'an unknown entity after a CDATA section with an ampersand': rss([rssItem(1, '<x><![CDATA[a & b]]> &nbsp;</x>'), rssItem(2), rssItem(3)]),
    // Identity elements the full parse reads differently from "the one guid" (issue 17).
    'an empty self-closing guid before a known guid': rss([rssItem(9).replace('<guid', '<guid/><guid').replace('g-9', 'g-1'), rssItem(2), rssItem(3)]),
    'an empty guid before a known guid': rss([rssItem(9).replace('<guid', '<guid></guid><guid').replace('g-9', 'g-1'), rssItem(2), rssItem(3)]),
    'two guids in one item': rss([rssItem(1).replace('</guid>', '</guid><guid>g-7</guid>'), rssItem(2), rssItem(3)]),
    'a self-closing guid alone': rss([rssItem(1), rssItem(2), rssItem(3).replace(/<guid[^]*<\/guid>/, '<guid isPermaLink="false"/>')]),
    'an Atom entry with an empty id before its id': atom([atomEntry(1).replace('<id>', '<id/><id>'), atomEntry(2)]),
  };

  it.each(Object.keys(cases))('WHEN it has %s THEN the whole document is parsed as before', async (name) => {
    const text = cases[name]!;
    expect(itemBlocks(text)).toBeUndefined();
    const full = await parse(text);
    const fast = await parse(text, known);
    expect(fast?.knownLeftOut ?? 0).toBe(0);
    expect(fast?.items.map(view)).toEqual(full?.items.map(view));
    await checkEquivalence(text, 8, 3);
  });
});

describe('GIVEN a malformed item', () => {
  // Not through parseFeed: the full parse fails, and rss-parser's shared parser then reads the next document oddly (see the report).
  it('WHEN its tags do not match THEN the block scan declines, so the whole document goes to the parser', () => {
    expect(itemBlocks(rss([rssItem(1, '<b><i></b></i>'), rssItem(2)]))).toBeUndefined();
    expect(itemBlocks(rss([rssItem(1, '<b>'), rssItem(2)]))).toBeUndefined();
    expect(itemBlocks(rss([rssItem(1, '<a href="x<y">z</a>'), rssItem(2)]))).toBeUndefined();
  });

  it('reads quoted ">" in attributes and finds each block and guid', () => {
    const text = rss([rssItem(1, '<a title="1 > 0">z</a>'), rssItem(2)]);
    expect(itemBlocks(text)?.map((b) => b.guid)).toEqual(['g-1', 'g-2']);
    const [first] = itemBlocks(text)!;
    expect(text.slice(first!.start, first!.end)).toBe(rssItem(1, '<a title="1 > 0">z</a>'));
  });
});
