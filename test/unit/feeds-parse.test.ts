import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeFeedBytes } from '../../src/feeds/fetch/charset.ts';
import { parseFeed, type ParsedFeed } from '../../src/feeds/parse/parse.ts';

const NOW = new Date('2024-06-01T00:00:00Z');
const fixture = (name: string, contentType?: string) =>
  decodeFeedBytes(readFileSync(new URL(`../fixtures/feeds/${name}`, import.meta.url)), contentType).text;

async function parsed(name: string): Promise<ParsedFeed> {
  const result = await parseFeed(fixture(name), NOW, 'https://base.example/feed');
  if (!result.ok) throw new Error(`${name}: ${result.reason} ${result.message}`);
  return result.feed;
}

describe('GIVEN feeds in every common format', () => {
  it('reads RSS 2.0 with HTML descriptions as plain paragraphs, scripts dropped', async () => {
    const feed = await parsed('rss-2.0.xml');
    expect(feed.title).toBe('Peninsula Wire');
    expect(feed.items.map((i) => i.title)).toEqual([
      'Inter-Korean liaison office reopens in Kaesong',
      'Local bakery wins national bread prize',
      'Pyongyang rejects talks offer',
    ]);
    expect(feed.items[0]).toMatchObject({
      identity: 'guid:wire-1003',
      link: 'https://wire.example/2024/liaison-office',
      author: 'Kim Min-ji',
      paragraphs: ['Officials from both Koreas met at the liaison office.', 'Talks on the armistice anniversary followed.'],
    });
    expect(feed.items[0]!.published?.toISOString()).toBe('2024-03-05T00:30:00.000Z');
    expect(feed.items[2]!.paragraphs).toEqual(['North Korea said it would not return to denuclearization talks.']);
  });

  it('reads RSS 0.91 with its Netscape DOCTYPE (an external DTD nobody fetches)', async () => {
    const feed = await parsed('rss-0.91.xml');
    expect(feed.items.map((i) => i.title)).toEqual(['Panmunjom tour resumes', 'Seoul café culture']);
    expect(feed.items[0]!.identity).toBe('link:http://letter.example/panmunjom');
    expect(feed.items[0]!.published).toBeUndefined();
  });

  it('reads RSS 1.0 (RDF) with dc:date', async () => {
    const feed = await parsed('rss-1.0.rdf');
    expect(feed.items[0]).toMatchObject({ title: 'Armistice commission meets at the DMZ', link: 'https://rdf.example/1' });
    expect(feed.items[0]!.published?.toISOString()).toBe('2023-07-27T01:00:00.000Z');
  });

  it('reads Atom, with HTML titles as text and the entry id as identity', async () => {
    const feed = await parsed('atom.xml');
    expect(feed.items[0]).toMatchObject({
      identity: 'guid:urn:uuid:entry-2',
      title: 'Satellite imagery shows work at Yongbyon',
      author: 'Jenny Town',
      link: 'https://atom.example/yongbyon',
    });
    expect(feed.items[1]!.published?.toISOString()).toBe('2024-03-28T00:00:00.000Z');
    expect(feed.items[1]!.paragraphs).toEqual(['The 1953 armistice was never followed by a peace treaty.']);
  });
});

describe('GIVEN dates that make no sense', () => {
  it('keeps the items: garbage and 1970 become "date unknown", the far future becomes now', async () => {
    const feed = await parsed('broken-dates.xml');
    const byGuid = Object.fromEntries(feed.items.map((i) => [i.identity, i.published?.toISOString()]));
    expect(byGuid).toEqual({
      'guid:d1': undefined,
      'guid:d2': NOW.toISOString(),
      'guid:d3': undefined,
      'guid:d4': undefined,
      'guid:d5': '2024-03-04T08:00:00.000Z',
    });
  });

  it('does not fail an Atom feed over one bad date', async () => {
    const feed = await parsed('atom-broken-dates.xml');
    expect(feed.items.map((i) => [i.title, i.published?.toISOString()])).toEqual([
      ['North Korea entry with a bad published date', undefined],
      ['North Korea entry with a good date', '2024-01-02T03:04:05.000Z'],
    ]);
  });
});

describe('GIVEN missing and repeated guids', () => {
  it('distrusts repeated guids and falls back to link, then to a hash of title and date', async () => {
    const feed = await parsed('guids.xml');
    const identities = feed.items.map((i) => i.identity);
    expect(identities[0]).toBe('link:https://careless.example/one');
    expect(identities[1]).toBe('link:https://careless.example/two');
    expect(identities[2]).toBe('link:https://careless.example/three');
    expect(identities[3]).toMatch(/^hash:[0-9a-f]{64}$/);
    expect(identities[4]).toBe('guid:unique-5');
    expect(new Set(identities).size).toBe(5);
  });

  it('gives the same identities on every read (stable)', async () => {
    const a = await parsed('guids.xml');
    const b = await parsed('guids.xml');
    expect(a.items.map((i) => i.identity)).toEqual(b.items.map((i) => i.identity));
  });
});

describe('GIVEN something that is not a feed', () => {
  it.each([
    ['an HTML page', fixture('html-page.html')],
    ['an empty body', ''],
    ['whitespace', '  \n '],
    ['JSON', '{"items": []}'],
    ['a truncated feed', fixture('rss-2.0.xml').slice(0, 700)],
    ['XML that is not a feed', '<?xml version="1.0"?><note><to>x</to></note>'],
  ])('%s is NOT_A_FEED, never an empty feed', async (_what, text) => {
    const result = await parseFeed(text, NOW);
    expect(result).toMatchObject({ ok: false, reason: 'NOT_A_FEED' });
  });
});

describe('GIVEN the same malformed feed fetched again', () => {
  it('THEN it fails the same way every time (no state left over from an earlier parse)', async () => {
    const bad =
      '<?xml version="1.0"?><rss version="2.0"><channel><title>t</title><item><title>a</title>' +
      '<description><b><i></b></i></description></item><item><title>b</title></item></channel></rss>';
    const results = [];
    for (let i = 0; i < 3; i++) results.push(await parseFeed(bad, new Date('2026-07-01T00:00:00Z')));
    for (const result of results) expect(result).toMatchObject({ ok: false, reason: 'NOT_A_FEED' });
  });
});

describe('GIVEN hostile XML', () => {
  it('refuses entity expansion (billion laughs) before parsing', async () => {
    const result = await parseFeed(fixture('billion-laughs.xml'), NOW);
    expect(result).toMatchObject({ ok: false, reason: 'NOT_A_FEED', message: expect.stringContaining('entities') });
  });

  it('refuses external entities', async () => {
    const result = await parseFeed(fixture('external-entity.xml'), NOW);
    expect(result).toMatchObject({ ok: false, reason: 'NOT_A_FEED' });
    expect(JSON.stringify(result)).not.toContain('root:');
  });

  it('refuses absurd nesting depth', async () => {
    const deep = `<?xml version="1.0"?><rss version="2.0"><channel><title>Deep</title><item><title>Korea</title><description>${'<x>'.repeat(5000)}${'</x>'.repeat(5000)}</description></item></channel></rss>`;
    const result = await parseFeed(deep, NOW);
    expect(result).toMatchObject({ ok: false, reason: 'NOT_A_FEED', message: expect.stringContaining('nested') });
  });

  it('treats tags named __proto__ and constructor as harmless unknown tags', async () => {
    const feed = await parsed('proto-tags.xml');
    // Items clean their fields on first read (getters), so compare what a reader sees.
    const seen = feed.items.map(({ identity, title, link, published, author, paragraphs }) => ({ identity, title, link, published, author, paragraphs }));
    expect(seen).toEqual([{ identity: 'guid:proto-1', title: 'Korea talks continue', paragraphs: [] }]);
    expect(Object.keys(feed.items[0]!).sort()).toEqual(['identity', 'title']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
  });
});

describe('GIVEN titles written to attack the chat', () => {
  it('turns markup into plain text, drops javascript:/data: links, control and bidi characters', async () => {
    const feed = await parsed('hostile-titles.xml');
    const [first, second, third] = feed.items;
    expect(feed.title).toBe('Hostile Feed @everyone');
    expect(first!.title).toBe('@everyone North Korea click here [now](https://evil.example)');
    expect(first!.link).toBeUndefined();
    expect(first!.paragraphs).toEqual(['Korea summit textreversed']);
    expect(second!.title).toBe('North Korea gnp.exe @here ok');
    expect(second!.link).toBeUndefined();
    expect(third!.link).toBe('https://hostile.example/relative/story');
    for (const item of feed.items) {
      expect(item.title).not.toMatch(/[<>\u202a-\u202e\u200b\u0000-\u001f]/);
      expect(item.title).not.toMatch(/javascript:|data:/);
    }
  });

  it('truncates absurdly long fields', async () => {
    const long = 'Korea '.repeat(5000);
    const xml = `<rss version="2.0"><channel><title>${long}</title><item><title>${long}</title><guid>g</guid><description>${'peace talks. '.repeat(10000)}</description></item></channel></rss>`;
    const result = await parseFeed(xml, NOW);
    if (!result.ok) throw new Error(result.message);
    expect(result.feed.title!.length).toBeLessThanOrEqual(100);
    expect(result.feed.items[0]!.title.length).toBeLessThanOrEqual(300);
    expect(result.feed.items[0]!.title.endsWith('…')).toBe(true);
    expect(result.feed.items[0]!.paragraphs.join('').length).toBeLessThanOrEqual(20_000);
  });
});

describe('GIVEN feeds in legacy encodings', () => {
  it.each([
    ['windows-1251.xml', undefined, 'Переговоры о мире в Корее'],
    ['euc-kr.xml', undefined, '남북 정상회담 판문점에서 열려'],
    ['shift_jis.xml', undefined, '北朝鮮と韓国の対話'],
    ['windows-1251-no-prolog.xml', 'application/rss+xml; charset=windows-1251', 'Переговоры о мире в Корее'],
  ])('decodes %s', async (name, contentType, title) => {
    const result = await parseFeed(fixture(name, contentType), NOW);
    expect(result).toMatchObject({ ok: true, feed: { items: [{ title }] } });
  });
});

describe('GIVEN a feed that declares no charset (no BOM, no Content-Type charset, no prolog encoding)', () => {
  const latin1 = Buffer.from('<rss><channel><title>Notícias</title><item><title>Coreia: negociações</title></item></channel></rss>', 'latin1');
  it('reads bytes that are not valid UTF-8 as windows-1252, as browsers do', () => {
    expect(decodeFeedBytes(latin1, 'application/rss+xml')).toEqual({
      text: '<rss><channel><title>Notícias</title><item><title>Coreia: negociações</title></item></channel></rss>',
      charset: 'windows-1252',
    });
    expect(decodeFeedBytes(Buffer.from('<p>\x93quoted\x94 \x80</p>', 'latin1')).text).toBe('<p>\u201cquoted\u201d \u20ac</p>');
  });

  it('reads valid UTF-8 as UTF-8, and a declared charset still wins over the sniff', () => {
    expect(decodeFeedBytes(Buffer.from('<t>Notícias 한국</t>', 'utf8'))).toEqual({ text: '<t>Notícias 한국</t>', charset: 'utf-8' });
    expect(decodeFeedBytes(latin1, 'text/xml; charset=utf-8').text).toContain('Not\ufffdcias');
  });
});

