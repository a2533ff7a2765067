import { defineCommand } from '../src/router/command.ts';
import { userError, type Reply, type ReplyField } from '../src/reply/reply.ts';
import type { Article } from '../src/corpus/corpus.ts';
import { completeArticleId, findArticle } from '../src/corpus/find-article.ts';
import { articleOpening, describePublication, sourceRef } from '../src/corpus/present.ts';

export default defineCommand({
  name: 'source',
  description: 'Show an article: who published it, when, and how it opens',
  ko: { name: '출처', description: '기사의 출처, 날짜, 첫 문단' },
  options: [
    {
      name: 'id',
      type: 'string',
      description: 'The article id, as /news shows it (its first characters are enough)',
      required: true,
      autocomplete: true,
      maxLength: 100,
      example: '004_e776972307e5fca4',
    },
  ],
  examples: ['source 004_e776972307e5fca4', 'source 004'],
  run(ctx, args) {
    const id = typeof args.id === 'string' ? args.id : '';
    const lookup = findArticle(ctx.services.corpus, id);
    if (lookup.found) return describeArticle(lookup.found);
    const corpus = ctx.services.corpus.all();
    // A small corpus is listed whole; a large one gets the nearest ids.
    const listed = corpus.length <= 10 ? corpus : lookup.suggestions;
    return userError(
      'UNKNOWN_ARTICLE',
      `No article has the id “${id}”.`,
      listed.length > 0
        ? [`${corpus.length <= 10 ? 'Article ids' : 'Closest ids'}: ${listed.map((a) => a.id).join(', ')}`, 'Type /news to find an article and its id.']
        : ['Type /news to find an article and its id.'],
    );
  },
  autocomplete(ctx, _option, partial) {
    return completeArticleId(ctx.services.corpus, partial);
  },
});

function describeArticle(article: Article): Reply {
  const fields: ReplyField[] = [
    { name: 'Outlet', value: article.outlet ?? 'not named in the text', inline: true },
    { name: 'Published', value: describePublication(article), inline: true },
  ];
  if (article.dateNote) fields.push({ name: 'How the date was found', value: article.dateNote });
  if (article.note) fields.push({ name: 'Note', value: article.note });
  fields.push({ name: 'Origin', value: describeOrigin(article), inline: true });
  fields.push({ name: 'URL', value: article.url ?? 'not known', inline: true });
  fields.push({ name: 'Id', value: article.id, inline: true });

  const words = article.paragraphs.reduce((n, p) => n + p.split(/\s+/).filter(Boolean).length, 0);
  return {
    title: article.title,
    fields,
    text: articleOpening(article),
    sources: [sourceRef(article)],
    footer: `${article.paragraphs.length} paragraph${article.paragraphs.length === 1 ? '' : 's'}, ${words} words`,
  };
}

function describeOrigin(article: Article): string {
  if (article.origin === 'seed') return 'seed corpus (data/corpus)';
  const feed = article.feedId ? `feed ${article.feedId}` : 'a feed';
  return article.ingestedAt ? `${feed}, ingested ${article.ingestedAt}` : feed;
}
