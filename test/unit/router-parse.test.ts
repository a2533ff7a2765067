import { describe, expect, it } from 'vitest';
import { parseLine, parseStructured } from '../../src/router/parse.ts';
import { defineCommand, type CommandSpec } from '../../src/router/command.ts';

const timeline = defineCommand({
  name: 'timeline',
  description: 'Dated events',
  options: [
    { name: 'from', type: 'date', description: 'start' },
    { name: 'to', type: 'date', description: 'end' },
    { name: 'about', type: 'string', description: 'keyword', rest: true },
    { name: 'page', type: 'integer', description: 'page', min: 1 },
  ],
  examples: ['timeline 2018 summit'],
  run: () => ({}),
});
const source = defineCommand({
  name: 'source',
  description: 'An article',
  options: [{ name: 'id', type: 'string', description: 'article id', required: true }],
  run: () => ({}),
});
const feeds = defineCommand({
  name: 'feeds',
  description: 'Feeds',
  subcommands: [
    defineCommand({ name: 'add', description: 'Add a feed', admin: true, options: [
      { name: 'url', type: 'string', description: 'feed URL', required: true },
      { name: 'name', type: 'string', description: 'name', rest: true },
    ], run: () => ({}) }),
    defineCommand({ name: 'list', description: 'List feeds', run: () => ({}) }),
  ],
});
const subscribe = defineCommand({
  name: 'subscribe',
  description: 'Subscribe',
  options: [
    { name: 'digest', type: 'choice', choices: ['instant', 'daily', 'weekly', 'off'], description: 'mode' },
    { name: 'reminders', type: 'boolean', description: 'reminders' },
  ],
  run: () => ({}),
});
const commands: CommandSpec[] = [timeline, source, feeds, subscribe];

function ok(line: string) {
  const result = parseLine(commands, line);
  if (!result.ok) throw new Error(`expected ${line} to parse: ${result.message}`);
  return result;
}
function problem(line: string) {
  const result = parseLine(commands, line);
  if (result.ok) throw new Error(`expected ${line} to fail`);
  return result;
}

describe('GIVEN a command line', () => {
  it('WHEN options are written name:value THEN they are typed', () => {
    const r = ok('/timeline from:2018 to:2019-06 about:"peace treaty" page:2');
    expect(r.args).toEqual({ from: { year: 2018 }, to: { year: 2019, month: 6 }, about: 'peace treaty', page: 2 });
    expect(r.positional.size).toBe(0);
  });

  it('WHEN free text is given THEN leading words fill typed options and the rest goes to the rest option', () => {
    const r = ok('/timeline 2018 summit in Singapore');
    expect(r.args).toEqual({ from: { year: 2018 }, about: 'summit in Singapore' });
    expect([...r.positional]).toEqual(['from', 'about']);
  });

  it('WHEN the slash is left out or the name is in capitals THEN the command is still found', () => {
    expect(ok('TIMELINE about:armistice').command.name).toBe('timeline');
  });

  it('WHEN a URL is given THEN it is a value, not an option named https', () => {
    const r = ok('/feeds add https://example.org/rss.xml Korea news');
    expect(r.parent?.name).toBe('feeds');
    expect(r.args).toEqual({ url: 'https://example.org/rss.xml', name: 'Korea news' });
  });

  it('WHEN choices and booleans are written loosely THEN they are normalised', () => {
    expect(ok('/subscribe digest:Weekly reminders:off').args).toEqual({ digest: 'weekly', reminders: false });
    expect(ok('/subscribe daily').args).toEqual({ digest: 'daily' });
  });

  it('WHEN Discord delivers split options THEN the same parsing applies', () => {
    const r = parseStructured(commands, { name: 'timeline', options: { from: '1953-07-27', page: 1 } });
    expect(r.ok && r.args).toEqual({ from: { year: 1953, month: 7, day: 27 }, page: 1 });
  });
});

describe('GIVEN bad input THEN the answer says what is wrong and shows usage', () => {
  it('an unknown command lists the commands', () => {
    const r = problem('/weather Seoul');
    expect(r.code).toBe('UNKNOWN_COMMAND');
    expect(r.hints.join(' ')).toContain('/timeline');
  });
  it('an unknown option names the known ones', () => {
    const r = problem('/timeline since:2018');
    expect(r.code).toBe('UNKNOWN_OPTION');
    expect(r.message).toContain('from, to, about, page');
    expect(r.hints[0]).toBe('Usage: /timeline [from:<date>] [to:<date>] [about:<text>] [page:<number>]');
    expect(r.hints[1]).toContain('/timeline 2018 summit');
  });
  it('a bad date says which forms work', () => {
    const r = problem('/timeline from:banana');
    expect(r.code).toBe('BAD_OPTION');
    expect(r.message).toContain('2018-04-27');
    expect(problem('/timeline from:2019-02-29').code).toBe('BAD_OPTION');
  });
  it('a wrong type and an out-of-range number are refused', () => {
    expect(problem('/timeline page:two').message).toContain('whole number');
    expect(problem('/timeline page:0').message).toContain('at least 1');
  });
  it('a missing required option is named', () => {
    const r = problem('/source');
    expect(r.code).toBe('MISSING_OPTION');
    expect(r.message).toContain('needs id');
  });
  it('extra words a command cannot take are quoted back', () => {
    expect(problem('/source a b').code).toBe('UNEXPECTED_TEXT');
  });
  it('a missing or unknown subcommand lists the subcommands', () => {
    expect(problem('/feeds').message).toContain('add, list');
    expect(problem('/feeds explode').code).toBe('UNKNOWN_SUBCOMMAND');
  });
  it('10,000 characters are refused without being echoed', () => {
    const r = problem(`/timeline ${'a'.repeat(10_000)}`);
    expect(r.code).toBe('INPUT_TOO_LONG');
    expect(r.message.length).toBeLessThan(200);
  });
  it('control and bidi-override characters are refused', () => {
    expect(problem('/timeline \u0007').code).toBe('INVALID_CHARACTERS');
    expect(problem('/timeline about:\u202Egnp.exe').code).toBe('INVALID_CHARACTERS');
  });
});

describe('GIVEN an article id from a feed', () => {
  it('WHEN it is passed to /source in free text THEN it is the id, not an option', () => {
    const r = ok('/source feed-0123456789abcdef');
    expect(r.args).toEqual({ id: 'feed-0123456789abcdef' });
  });
});
