import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { LineCounter, parseDocument, type Document } from 'yaml';
import type { z } from 'zod';
import { DataProblemsError, type Problem } from '../core/problems.ts';
import { readParsedYaml } from './parsed-cache.ts';
import { ENTITY_FIELDS, EVENT_FIELDS, entitySchema, eventSchema, type Entity, type KnowledgeEvent } from './schema.ts';

/**
 * Reads data/knowledge/entities.yaml and events.yaml. A record with a
 * problem is reported (file and line) and left out; the others load.
 */

export type KnowledgeFile = 'entities' | 'events';
export type YamlPath = readonly (string | number)[];

export interface KnowledgeReadResult {
  entities: Entity[];
  events: KnowledgeEvent[];
  /** Schema problems (malformed YAML, missing fields, bad dates). */
  problems: Problem[];
  /** Paths of the two files, as used in problems. */
  files: Record<KnowledgeFile, string>;
  /** The 1-based line of a record or field, e.g. (`events`, [3, 'sources', 0, 'quote']). */
  lineOf(file: KnowledgeFile, path: YamlPath): number | undefined;
}

export function knowledgeDir(dataDir: string): string {
  return join(dataDir, 'knowledge');
}

export async function readKnowledge(dataDir: string): Promise<KnowledgeReadResult> {
  const dir = knowledgeDir(dataDir);
  const files = { entities: join(dir, 'entities.yaml'), events: join(dir, 'events.yaml') };
  const [entities, events] = await Promise.all([
    readList(files.entities, 'entities', entitySchema, ENTITY_FIELDS),
    readList(files.events, 'events', eventSchema, EVENT_FIELDS),
  ]);
  return {
    entities: entities.records,
    events: events.records,
    problems: [...entities.problems, ...events.problems],
    files,
    lineOf: (file, path) => (file === 'entities' ? entities.lineOf(path) : events.lineOf(path)),
  };
}

/** Thrown at start-up when the knowledge files do not load; its message lists every problem. */
export class KnowledgeDataError extends DataProblemsError {
  constructor(problems: readonly Problem[]) {
    super('The knowledge data', problems);
    this.name = 'KnowledgeDataError';
  }
}

interface ListResult<T> {
  records: T[];
  problems: Problem[];
  lineOf(path: YamlPath): number | undefined;
}

async function readList<T>(
  file: string,
  key: KnowledgeFile,
  schema: z.ZodType<T>,
  fields: readonly string[],
): Promise<ListResult<T>> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'does not exist' : `cannot be read (${(error as Error).message})`;
    return { records: [], problems: [{ file, message: `the ${key} file ${why}` }], lineOf: () => undefined };
  }
  // The YAML document (for line numbers) is parsed only when needed: a file the build cached as JSON needs none to load.
  let parsed: { doc: Document; lineCounter: LineCounter } | undefined;
  const document = () => {
    if (!parsed) {
      const lineCounter = new LineCounter();
      parsed = { doc: parseDocument(text, { lineCounter }), lineCounter };
    }
    return parsed;
  };
  const lineOf = (path: YamlPath) => nodeLine(document().doc, document().lineCounter, [key, ...path]);
  let root = readParsedYaml(text);
  if (root === undefined) {
    const { doc } = document();
    if (doc.errors.length > 0) {
      return {
        records: [],
        problems: doc.errors.map((e) => ({ file, line: e.linePos?.[0].line, message: `malformed YAML: ${e.message.split('\n')[0]}` })),
        lineOf,
      };
    }
    root = doc.toJS();
  }
  const list = typeof root === 'object' && root !== null ? (root as Record<string, unknown>)[key] : undefined;
  if (!Array.isArray(list)) {
    return { records: [], problems: [{ file, line: 1, message: `expected a top-level \`${key}:\` list` }], lineOf };
  }
  const records: T[] = [];
  const problems: Problem[] = [];
  list.forEach((raw: unknown, index) => {
    const parsed = schema.safeParse(raw);
    if (parsed.success) {
      records.push(parsed.data);
      return;
    }
    const recordLine = lineOf([index]);
    const id = typeof raw === 'object' && raw !== null && 'id' in raw ? ` (${String((raw as { id: unknown }).id)})` : '';
    for (const issue of parsed.error.issues) {
      const path = issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p));
      let message = `${path.join('.') || 'record'}${id}: ${issue.message}`;
      if (issue.code === 'unrecognized_keys') message = `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.join(', ')}${id}; known fields: ${fields.join(', ')}`;
      else if (issue.code === 'invalid_type' && issue.input === undefined) message = `${path.join('.')}${id} is missing`;
      const line = (issue.code === 'unrecognized_keys' ? lineOf([index, issue.keys[0]!]) : lineOf([index, ...path])) ?? recordLine;
      problems.push({ file, line, message });
    }
  });
  return { records, problems, lineOf };
}

function nodeLine(doc: Document, lineCounter: LineCounter, path: YamlPath): number | undefined {
  for (let end = path.length; end > 0; end--) {
    const node = doc.getIn(path.slice(0, end), true) as { range?: [number, number, number] } | undefined;
    if (node?.range) return lineCounter.linePos(node.range[0]).line;
  }
  return undefined;
}
