import { describe, expect, it } from 'vitest';
import { commandToJSON, commandsToJSON, sameCommands } from '../../src/platform/discord/registration.ts';
import { allCommands } from '../../commands/index.ts';
import { defineCommand } from '../../src/router/command.ts';

const timeline = defineCommand({
  name: 'timeline',
  description: 'Events of the peace process, with sources',
  ko: { name: '연표', description: '평화 과정의 사건' },
  options: [
    { name: 'from', type: 'date', description: 'Earliest date' },
    { name: 'about', type: 'string', description: 'A person or topic', maxLength: 100, autocomplete: true, ko: { name: '주제', description: '인물이나 주제' } },
    { name: 'limit', type: 'integer', description: 'How many', min: 1, max: 25 },
    { name: 'kind', type: 'choice', description: 'Kind of event', choices: ['summit', 'treaty'], required: true },
    { name: 'verbose', type: 'boolean', description: 'Show more' },
  ],
  run: () => ({}),
});

const feeds = defineCommand({
  name: 'feeds',
  description: 'News feeds',
  subcommands: [
    { name: 'add', description: 'Add a feed', admin: true, options: [{ name: 'url', type: 'string', description: 'Feed URL', required: true }] },
    { name: 'remove', description: 'Remove a feed', admin: true },
  ],
});

describe('Discord registration JSON from the command declaration', () => {
  it('GIVEN every option type WHEN converted THEN types, bounds, choices, localisations and order are as Discord wants', () => {
    expect(commandToJSON(timeline)).toEqual({
      name: 'timeline',
      description: 'Events of the peace process, with sources',
      type: 1,
      options: [
        { type: 3, name: 'kind', description: 'Kind of event', required: true, choices: [{ name: 'summit', value: 'summit' }, { name: 'treaty', value: 'treaty' }] },
        { type: 3, name: 'from', description: 'Earliest date (YYYY, YYYY-MM or YYYY-MM-DD)' },
        {
          type: 3,
          name: 'about',
          description: 'A person or topic',
          max_length: 100,
          autocomplete: true,
          name_localizations: { ko: '주제' },
          description_localizations: { ko: '인물이나 주제' },
        },
        { type: 4, name: 'limit', description: 'How many', min_value: 1, max_value: 25 },
        { type: 5, name: 'verbose', description: 'Show more' },
      ],
      name_localizations: { ko: '연표' },
      description_localizations: { ko: '평화 과정의 사건' },
    });
  });

  it('GIVEN admin-only subcommands WHEN converted THEN subcommands are type 1 and the command needs Manage Server, not in DMs', () => {
    expect(commandToJSON(feeds)).toEqual({
      name: 'feeds',
      description: 'News feeds',
      type: 1,
      options: [
        { type: 1, name: 'add', description: 'Add a feed', options: [{ type: 3, name: 'url', description: 'Feed URL', required: true }] },
        { type: 1, name: 'remove', description: 'Remove a feed' },
      ],
      default_member_permissions: '32',
      dm_permission: false,
    });
  });

  it('GIVEN what Discord returns for an unchanged registration (ids, versions, defaults) WHEN compared THEN it is the same', () => {
    const wanted = [commandToJSON(timeline)];
    const registered = wanted.map((c) => ({
      ...c,
      id: '1',
      application_id: '2',
      version: '3',
      default_member_permissions: null,
      dm_permission: true,
      nsfw: false,
      options: c.options!.map((o) => ({ ...o, name_localizations: o.name_localizations ?? null })),
    }));
    expect(sameCommands(wanted, registered)).toBe(true);
    expect(sameCommands(wanted, [{ ...registered[0]!, description: 'old text' }])).toBe(false);
    expect(sameCommands(wanted, [])).toBe(false);
  });

  it('GIVEN an admin command registered in a guild (Discord omits dm_permission there) WHEN compared THEN it is the same', () => {
    const wanted = [commandToJSON(feeds)];
    const { dm_permission: _omitted, ...registered } = wanted[0]!;
    expect(sameCommands(wanted, [{ ...registered, id: '1', guild_id: '9' }])).toBe(true);
    expect(sameCommands(wanted, [{ ...registered, default_member_permissions: null }])).toBe(false);
  });
});

describe('every registered command satisfies Discord’s rules', () => {
  const NAME = /^[-_\p{L}\p{N}]{1,32}$/u;
  type Option = { type: number; name: string; description: string; required?: boolean; choices?: unknown[]; autocomplete?: boolean; options?: Option[]; name_localizations?: Record<string, string> };
  const check = (path: string, entries: readonly Option[] | undefined) => {
    const list = entries ?? [];
    expect(list.length, `${path}: at most 25 options`).toBeLessThanOrEqual(25);
    const firstOptional = list.findIndex((o) => !o.required);
    if (firstOptional >= 0) expect(list.slice(firstOptional).some((o) => o.required), `${path}: required options first`).toBe(false);
    for (const o of list) {
      const where = `${path} ${o.name}`;
      expect(NAME.test(o.name) && o.name === o.name.toLowerCase(), `${where}: name`).toBe(true);
      for (const ko of Object.values(o.name_localizations ?? {})) expect(NAME.test(ko), `${where}: Korean name`).toBe(true);
      expect(o.description.length, `${where}: description 1-100`).toBeGreaterThan(0);
      expect(o.description.length, `${where}: description 1-100`).toBeLessThanOrEqual(100);
      expect((o.choices ?? []).length, `${where}: ≤25 choices`).toBeLessThanOrEqual(25);
      expect(Boolean(o.choices && o.autocomplete), `${where}: choices and autocomplete exclude each other`).toBe(false);
      if (o.options) check(where, o.options);
    }
  };

  it('GIVEN the bot’s commands WHEN converted THEN names, descriptions, option order and counts are valid', () => {
    const json = commandsToJSON(allCommands);
    expect(json.length).toBeLessThanOrEqual(100);
    check('', json as unknown as Option[]);
  });
});
