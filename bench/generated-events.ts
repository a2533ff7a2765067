import type { KnowledgeEvent } from '../src/knowledge/schema.ts';

/**
 * A made-up but plausible big timeline: `count` events over seventy years,
 * dense around 2018–2021, in every precision, involving the real entity ids
 * in the combinations the threads come from. Deterministic (seeded).
 */
export function generatedEvents(count: number, seed = 7): KnowledgeEvent[] {
  let state = seed;
  const random = () => ((state = (state * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const casts = [
    ['moon-jae-in', 'kim-jong-un'],
    ['donald-trump', 'kim-jong-un'],
    ['christine-ahn', 'women-cross-dmz'],
    ['pspd', 'korea-peace-appeal'],
    ['ro-khanna', 'us-congress'],
    ['mike-pompeo', 'north-korea'],
    ['kim-yo-jong', 'south-korea'],
  ] as const;
  const verbs = ['talks on', 'statement about', 'meeting over', 'campaign for', 'letter on', 'dispute over', 'visit about'];
  const topics = ['the armistice', 'a peace treaty', 'sanctions', 'the DMZ', 'family reunions', 'denuclearization', 'the liaison office'];
  const events: KnowledgeEvent[] = [];
  for (let i = 0; i < count; i++) {
    const year = random() < 0.7 ? 2017 + Math.floor(random() * 5) : 1950 + Math.floor(random() * 75);
    const p = random();
    const date = p < 0.6 ? { year, month: 1 + Math.floor(random() * 12), day: 1 + Math.floor(random() * 28) } : p < 0.85 ? { year, month: 1 + Math.floor(random() * 12) } : { year };
    events.push({
      id: `generated-${i}`,
      date,
      derivation: 'stated',
      summary: `${pick(['Seoul', 'Pyongyang', 'Washington', 'Activists'])} ${pick(verbs)} ${pick(topics)} (${i}).`,
      entities: [...pick(casts)],
      anniversary: false,
      sources: [{ article: `gen_${String(i % 40).padStart(3, '0')}`, quote: 'generated' }],
      status: random() < 0.3 ? 'curated' : 'extracted',
    });
  }
  return events.sort((a, b) => a.date.year - b.date.year || (a.date.month ?? 0) - (b.date.month ?? 0) || (a.date.day ?? 0) - (b.date.day ?? 0));
}
