import { hash } from 'node:crypto';
import type { Article } from '../corpus/corpus.ts';
import type { LookupResult } from './lookup.ts';
import { findMentions, type Mention } from './mentions.ts';
import { nameKey } from './normalize.ts';
import { isFullPersonName, koreanSurname, ORGANISATION_WORD, personSurname } from './person-names.ts';
import { mostSpecificRoles } from './roles.ts';
import { datedEvent } from './sentence-events.ts';
import { splitSentences } from './sentences.ts';
import type { Entity, KnowledgeEvent } from './schema.ts';

export type { Mention } from './mentions.ts';

/**
 * Candidate knowledge from an article nobody has curated yet (a feed item):
 * the people and organisations it names, with the roles it gives them, and
 * the sentences that carry a date. Everything it returns is `status:
 * 'extracted'`, cites the sentence it came from, and has an id derived from
 * the article and the name (or the sentence), so extracting the same article
 * again gives the same ids. It never changes a curated record: the knowledge
 * base decides what a candidate adds (knowledge-base.ts).
 *
 * Within one article a person is one entry: "Foreign Minister Chung
 * Eui-yong", later "Chung" or "the minister", are the same person. Only full
 * names make new people (no bare first names or surnames); an organisation
 * is new only when its name says it is one ("… Institute", "… Ministry").
 */

export interface Extraction {
  /** Every name found, in order. */
  mentions: Mention[];
  /** Entities the article names that the knowledge base already knows (ids, in order of first mention). */
  linked: string[];
  /**
   * The article's people and organisations, each once, with the roles it
   * states (dated to the article): new ones, and claims about known ones,
   * which the knowledge base links by name.
   */
  entities: Entity[];
  /** One per sentence carrying a resolvable date and naming someone. */
  events: KnowledgeEvent[];
}

export type Lookup = (name: string) => LookupResult;

interface Person {
  entity: Entity;
  /** The entity the knowledge base already has under this name, if any. */
  knownId?: string;
  surname: string;
  roles: string[];
  /** Index of the first and the last sentence naming them: "the minister" is the latest. */
  firstSeen: number;
  lastSeen: number;
}

export function extractFromArticle(article: Article, lookup: Lookup): Extraction {
  const sentences = article.paragraphs.flatMap(splitSentences);
  // A headline in Title Case ("Moon Asks for US Support") capitalises every word: its names are only linked, never new.
  const found = sentences.map((sentence) => findMentions(sentence).map((m) => (m.kind === 'person' && isTitleCase(sentence) ? { ...m, kind: undefined } : m)));
  const mentions = found.flat();
  const people = new Map<string, Person>();
  const orgs = new Map<string, Entity>();

  // First the full names, so that "Chung" before "Chung Eui-yong" (a headline) still finds him.
  found.forEach((list, index) => {
    for (const mention of list) {
      if (mention.kind !== 'person') continue;
      const key = nameKey(mention.text);
      let person = people.get(key);
      if (!person) {
        person = { entity: candidate(article, mention, 'person'), surname: personSurname(mention.text), roles: [], firstSeen: index, lastSeen: index };
        people.set(key, person);
      }
      if (mention.role) person.roles.push(mention.role);
    }
  });

  const linked = new Set<string>();
  const events: KnowledgeEvent[] = [];
  found.forEach((list, index) => {
    const ids = new Set<string>();
    for (const mention of list) {
      const id = resolveMention(mention, index);
      if (id) ids.add(id);
    }
    for (const person of byRoleNoun(sentences[index]!, index)) ids.add(seen(person, index));
    // "And in June he was the first to…": a sentence naming nobody but "he"/"she" is about the person last named.
    if (ids.size === 0 && /\b(?:he|she|He|She)\b/.test(sentences[index]!)) {
      const last = lastPersonBefore(index);
      if (last) ids.add(last);
    }
    const event = datedEvent(article, sentences[index]!, [...ids], eventId(article, sentences[index]!), events);
    if (event) events.push(event);
  });

  function resolveMention(mention: Mention, index: number): string | undefined {
    const full = mention.kind === 'person' ? people.get(nameKey(mention.text)) : undefined;
    if (full) return seen(full, index);
    const known = lookup(mention.text);
    const single = mention.text.split(/\s+/).length === 1;
    // "Chung" is the Chung Eui-yong this article named, whatever else the name could mean; a known
    // "Trump" stays Donald Trump until the article names another Trump ("Ivanka Trump" later on).
    const local = single ? [...people.values()].filter((p) => nameKey(p.surname) === nameKey(mention.text)) : [];
    const named = local.filter((p) => p.firstSeen <= index);
    const chosen = named.length === 1 ? named[0] : named.length === 0 && local.length === 1 && known.kind !== 'found' ? local[0] : undefined;
    if (chosen) {
      if (mention.role) chosen.roles.push(mention.role);
      return seen(chosen, index);
    }
    if (named.length > 1) return undefined;
    if (known.kind === 'found') {
      linked.add(known.entity.id);
      return known.entity.id;
    }
    if (known.kind === 'unknown' && isOrganisationName(mention.text)) {
      const key = nameKey(mention.text);
      const org = orgs.get(key) ?? candidate(article, mention, 'organisation');
      orgs.set(key, org);
      return org.id;
    }
    return undefined;
  }

  function seen(person: Person, index: number): string {
    person.lastSeen = Math.max(person.lastSeen, index);
    if (person.knownId === undefined) {
      const known = lookup(person.entity.name);
      person.knownId = known.kind === 'found' ? known.entity.id : '';
    }
    if (person.knownId === '') return person.entity.id;
    linked.add(person.knownId);
    return person.knownId;
  }

  /** The person (of this article or known) named last in the sentences before `index`. */
  function lastPersonBefore(index: number): string | undefined {
    for (let i = index - 1; i >= 0 && i >= index - 2; i--) {
      const named = found[i]!.flatMap((mention) => {
        const full = mention.kind === 'person' ? people.get(nameKey(mention.text)) : undefined;
        if (full) return [full.knownId || full.entity.id];
        const known = lookup(mention.text);
        return known.kind === 'found' && known.entity.kind === 'person' ? [known.entity.id] : [];
      });
      if (named.length > 0) return named[named.length - 1];
    }
    return undefined;
  }

  /** "the minister", "the president": the person last named with that title. */
  function byRoleNoun(sentence: string, index: number): Person[] {
    const out: Person[] = [];
    for (const match of sentence.matchAll(/\bthe (minister|president|secretary|envoy|leader|ambassador|spokesperson|spokesman|spokeswoman|adviser|chairman|general)\b/giu)) {
      const noun = match[1]!.toLowerCase();
      const holders = [...people.values()]
        .filter((p) => p.lastSeen <= index && p.roles.some((r) => r.toLowerCase().split(/\s+/).includes(noun)))
        .sort((a, b) => b.lastSeen - a.lastSeen);
      if (holders[0]) out.push(holders[0]);
    }
    return out;
  }

  const entities: Entity[] = [];
  for (const person of people.values()) {
    const roles = mostSpecificRoles(person.roles);
    person.entity.roles = roles.map((title) => (article.published ? { title, from: article.published, to: article.published } : { title }));
    if (roles.length > 0) person.entity.description = `${roles.join('; ')}, as named in “${article.title}”.`;
    entities.push(person.entity);
  }
  entities.push(...orgs.values());
  return { mentions, linked: [...linked], entities, events };
}

/** Every word of four letters or more capitalised: a headline, not a sentence. */
function isTitleCase(sentence: string): boolean {
  const words = sentence.split(/\s+/).filter((w) => /^\p{L}{4,}/u.test(w));
  return words.length >= 3 && words.every((w) => /^\p{Lu}/u.test(w));
}

/** A name that says it is an organisation's ("Foreign Ministry", "Quincy Institute"). */
function isOrganisationName(name: string): boolean {
  const words = name.split(/\s+/);
  return words.length >= 2 && ORGANISATION_WORD.test(name) && words.every((w) => /^\p{Lu}/u.test(w) || /^(?:of|for|on|the|and|to)$/.test(w));
}

/** `x-<article>-person-<name key>`: the same article and name always give the same id. */
function candidate(article: Article, mention: Mention, kind: 'person' | 'organisation'): Entity {
  const surname = kind === 'person' && isFullPersonName(mention.text) ? koreanSurname(mention.text) : undefined;
  return {
    id: `x-${articleKey(article)}-${kind}-${nameKey(mention.text) || 'name'}`,
    name: mention.text,
    kind,
    ...(surname ? { surname } : {}),
    roles: [],
    description: `Named in “${article.title}”.`,
    aliases: [],
    related: [],
    sources: [{ article: article.id, quote: mention.sentence }],
    status: 'extracted',
  };
}

function articleKey(article: Article): string {
  return nameKey(article.id).slice(0, 24);
}

/** `x-<article>-event-<hash of the sentence>`: stable across re-extraction, whatever else the article holds. */
function eventId(article: Article, sentence: string): string {
  return `x-${articleKey(article)}-event-${hash('sha256', sentence).slice(0, 12)}`;
}
