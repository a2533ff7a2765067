import type { Article } from '../src/corpus/corpus.ts';

/**
 * Made-up news articles for benchmarks, built from the seed articles' own
 * sentences (so word frequencies look like real Korea news) plus a few
 * distinct words per article (so the vocabulary grows with the corpus as it
 * does in life). Deterministic: the same count gives the same articles.
 * One at a time: 100,000 of them never need to exist at once.
 */
export function* generateArticles(seeds: readonly Article[], count: number): Generator<Article> {
  const sentences = seeds.flatMap((a) => a.paragraphs.flatMap((p) => p.split(/(?<=[.!?”])\s+/))).filter((s) => s.length > 40);
  const titles = seeds.map((a) => a.title);
  let state = 42;
  const next = () => (state = (state * 1103515245 + 12345) % 2147483648);
  const pick = <T>(list: readonly T[]) => list[next() % list.length]!;
  const outlets = ['Yonhap', 'Korea Herald', 'NK News', 'Korea JoongAng Daily', 'The Diplomat', '38 North'];
  for (let i = 0; i < count; i++) {
    const paragraphs = Array.from({ length: 5 }, () => Array.from({ length: 3 }, () => pick(sentences)).join(' '));
    paragraphs.push(`Reported by desk ${i % 97} on topic k${i.toString(36)} and region r${(i * 7) % 1013}.`);
    const year = 2000 + (i % 26);
    yield {
      id: `gen-${i}`,
      title: `${pick(titles)} (${i})`,
      outlet: pick(outlets),
      published: { year, month: 1 + (i % 12), day: 1 + (i % 28) },
      dateDerivation: 'stated',
      paragraphs,
      origin: 'feed',
    };
  }
}
