import { defineCommand } from '../src/router/command.ts';
import { userError, type Reply, type ReplyItem, type SourceRef } from '../src/reply/reply.ts';
import { quoted } from '../src/reply/quoted.ts';
import type { Corpus } from '../src/corpus/corpus.ts';
import { articleMeta, sourceRef } from '../src/corpus/present.ts';
import { answerQuestion, type Answer, type Quote } from '../src/knowledge/answer.ts';
import type { KnowledgeBase } from '../src/knowledge/knowledge-base.ts';
import { describeEntity, entityLine, eventItem } from '../src/knowledge/present.ts';
import { keywords, parseQuestion, type Question } from '../src/knowledge/question.ts';

/** Long enough for any question a person types; a longer one is a paste of an article, not a question. */
const MAX_QUESTION_LENGTH = 300;

const EXAMPLES = ['ask when did Trump and Kim meet at the DMZ?', 'ask what is the Korea Peace Appeal?', 'ask who founded Women Cross DMZ?'];

export default defineCommand({
  name: 'ask',
  description: 'Ask a question in words: the sentences of the articles that answer it, with their sources',
  ko: { name: '질문', description: '질문에 답하는 기사 속 문장과 출처' },
  options: [
    {
      name: 'question',
      type: 'string',
      description: 'Your question, e.g. when did Trump and Kim meet at the DMZ?',
      required: true,
      rest: true,
      maxLength: MAX_QUESTION_LENGTH,
      example: 'what is the Korea Peace Appeal?',
      ko: { name: '내용', description: '묻고 싶은 것' },
    },
  ],
  examples: EXAMPLES,
  run(ctx, args) {
    const question = parseQuestion(typeof args.question === 'string' ? args.question : '');
    if (keywords(question).length === 0) {
      return userError('VAGUE_QUESTION', `“${question.text}” has no word I can look for in the articles.`, [
        'Name who or what you mean, e.g.:',
        ...EXAMPLES.map((e) => `/${e}`),
      ]);
    }
    const { corpus, knowledge } = ctx.services;
    const answer = answerQuestion(question, corpus, knowledge);
    if (!answer.entity && answer.events.length === 0 && answer.sentences.length === 0) return nothingFound(answer);
    return present(question, answer, corpus, knowledge);
  },
});

function present(question: Question, answer: Answer, corpus: Corpus, kb: KnowledgeBase): Reply {
  const items: ReplyItem[] = [
    ...answer.events.map(({ event, quotes }) => {
      const item = eventItem(kb, event);
      item.text = [item.text, quotesLine(quotes)].filter(Boolean).join(' ');
      return item;
    }),
    ...answer.sentences.map(({ article, sentence }) => ({ title: quoted(sentence), meta: articleMeta(article), sourceIds: [article.id] })),
  ];
  const quotes = [...answer.events.flatMap((e) => e.quotes), ...answer.sentences];
  const cited = quotes.map((q) => q.article).concat(answer.events.flatMap((e) => e.event.sources.flatMap((s) => corpus.get(s.article) ?? [])));
  const sources = uniqueSources(cited.map(sourceRef));
  const footer = 'Sentences quoted from the articles as written · /source <id> shows an article';
  if (answer.entity) {
    // "Who/what is X?" answers with X's /whois entry first, then what the articles say of X.
    const entry = describeEntity(kb, corpus, answer.entity);
    return { ...entry, items, sources: uniqueSources([...(entry.sources ?? []), ...sources]), footer };
  }
  const text = answer.ambiguous.length > 0 ? [`“${question.subject}” could mean several entries:`, ...answer.ambiguous.map(entityLine), `/whois ${answer.ambiguous[0]!.name} (or another full name) describes one.`] : undefined;
  return { title: clip(question.text), ...(text ? { text } : {}), items, sources, footer };
}

/** `“And in June he was…” … “Moon said…” — The Associated Press · 2019-09-24 · 004_e776972307e5fca4`: each article's quotes, then the article. */
function quotesLine(quotes: readonly Quote[]): string {
  const byArticle = new Map<string, Quote[]>();
  for (const quote of quotes) byArticle.set(quote.article.id, [...(byArticle.get(quote.article.id) ?? []), quote]);
  return [...byArticle.values()].map((group) => `${group.map((q) => quoted(q.sentence)).join(' … ')} — ${articleMeta(group[0]!.article)}`).join(' ');
}

/** Nothing in the articles answers it: say so, and what to try instead. */
function nothingFound(answer: Answer): Reply {
  const suggestions = [
    ...(answer.found.length > 0 ? [`/news ${answer.found.join(' ')} — the articles with these words`] : []),
    ...answer.named.slice(0, 2).map((e) => `/whois ${e.name} — who or what that is`),
    ...(answer.named[0] ? [`/timeline about:${answer.named[0].name} — dated events`] : []),
  ];
  const why = answer.unknown.length > 0 ? `No article mentions ${answer.unknown.map((w) => `“${w}”`).join(' or ')}.` : 'No sentence of the articles has enough of the question’s words.';
  return {
    title: 'I found nothing about that in the articles.',
    text: [why, ...(suggestions.length > 0 ? ['Try:', ...suggestions] : ['Try other words, or /news to see the latest articles.'])],
  };
}

/** One source per article (per quote, for the /whois entry's quoted sources), in order of first citation. */
function uniqueSources(refs: SourceRef[]): SourceRef[] {
  const seen = new Set<string>();
  const articles = new Set<string>();
  return refs.filter((r) => {
    const key = `${r.articleId}\n${r.quote ?? ''}`;
    if (seen.has(key) || (r.quote === undefined && articles.has(r.articleId))) return false;
    seen.add(key);
    articles.add(r.articleId);
    return true;
  });
}

function clip(text: string, length = 200): string {
  return text.length <= length ? text : `${text.slice(0, length - 1)}…`;
}
