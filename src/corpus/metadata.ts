import { LineCounter, parseDocument, type Document } from 'yaml';
import { z } from 'zod';
import { parsePartialDate, type PartialDate } from '../core/dates.ts';
import type { Article, DateDerivation } from './corpus.ts';
import type { Problem } from '../check-data.ts';

/**
 * data/corpus/articles.yaml: its schema, and parsing that reports every
 * problem with the line it is on.
 */

export const METADATA_FILE = 'articles.yaml';

/** Quoted or not: YAML reads `published: 2020` as a number. */
const dateText = z.union([z.string(), z.number().int()]).transform(String);

const entrySchema = z
  .object({
    id: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, 'must be letters, digits, "_", "." or "-" (the file name without .txt)'),
    file: z.string().regex(/^[^/\\]+\.txt$/, 'must be the name of a .txt file in data/corpus/ (no folders)'),
    title: z.string().trim().min(1, 'must not be empty').optional(),
    outlet: z.string().trim().min(1, 'must not be empty; leave it out when the outlet is unknown').optional(),
    url: z
      .string()
      .refine((u) => /^https?:\/\/[^\s]+$/.test(u), 'must be an http(s) URL, e.g. https://apnews.com/article/...')
      .optional(),
    published: dateText.optional(),
    dateDerivation: z.enum(['stated', 'inferred']).optional(),
    dateNote: z.string().trim().min(1, 'must not be empty').optional(),
    note: z.string().trim().min(1, 'must not be empty').optional(),
  })
  .strict();

type Entry = z.infer<typeof entrySchema>;
export type MetadataField = keyof Entry;

/** The Article fields articles.yaml may state (a title given here wins over the text's own headline). */
export interface ArticleMetadata extends Partial<Pick<Article, 'title' | 'outlet' | 'url' | 'published' | 'dateDerivation' | 'dateNote' | 'note'>> {
  id: string;
  file: string;
  /** Where the entry and each of its fields are in articles.yaml (1-based lines). */
  line: number;
  fieldLines: Partial<Record<MetadataField, number>>;
}

export interface MetadataParseResult {
  /** The entries that are valid; an invalid entry is reported and left out. */
  entries: ArticleMetadata[];
  /** Every `file` named, valid entry or not: a file with a broken entry is still "listed". */
  listedFiles: string[];
  /** False when the file is not YAML or has no `articles:` list: nothing can be said about which files it lists. */
  listReadable: boolean;
  problems: Problem[];
}

/** Parses the text of articles.yaml; `file` is the path used in problems. */
export function parseArticleMetadata(text: string, file: string): MetadataParseResult {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter });
  if (doc.errors.length > 0) {
    return {
      entries: [],
      listedFiles: [],
      listReadable: false,
      problems: doc.errors.map((error) => ({
        file,
        line: error.linePos?.[0].line,
        message: `malformed YAML: ${error.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')}`,
      })),
    };
  }
  const lineOf = (path: readonly (string | number)[]): number | undefined => nodeLine(doc, lineCounter, path);

  const root: unknown = doc.toJS();
  const list = isRecord(root) ? root.articles : undefined;
  if (!Array.isArray(list)) {
    return {
      entries: [],
      listedFiles: [],
      listReadable: false,
      problems: [{ file, line: lineOf(['articles']) ?? 1, message: 'expected a top-level `articles:` list of article entries' }],
    };
  }

  const entries: ArticleMetadata[] = [];
  const problems: Problem[] = [];
  const listedFiles = list.flatMap((raw: unknown) => (isRecord(raw) && typeof raw.file === 'string' ? [raw.file] : []));
  list.forEach((raw: unknown, index) => {
    const path = ['articles', index];
    const entryLine = lineOf(path) ?? 1;
    const parsed = entrySchema.safeParse(raw);
    const entryProblems: Problem[] = parsed.success ? [] : parsed.error.issues.map((issue) => describeIssue(issue, raw, path, entryLine, file, lineOf));
    const fieldLines: Partial<Record<MetadataField, number>> = {};
    for (const field of Object.keys(entrySchema.shape) as MetadataField[]) {
      const line = lineOf([...path, field]);
      if (line !== undefined) fieldLines[field] = line;
    }
    const at = (field: MetadataField) => fieldLines[field] ?? entryLine;

    let published: PartialDate | undefined;
    if (parsed.success) {
      const entry = parsed.data;
      if (entry.published !== undefined) {
        published = parsePartialDate(entry.published);
        if (!published) {
          entryProblems.push({ file, line: at('published'), message: `published: "${entry.published}" is not a date; write YYYY, YYYY-MM or YYYY-MM-DD (e.g. "2018-04-27")` });
        }
        if (!entry.dateDerivation) {
          entryProblems.push({ file, line: at('published'), message: 'dateDerivation is missing: say whether the date is `stated` in the text or `inferred` from the events it reports' });
        }
      }
      if (entry.dateDerivation === 'inferred' && !entry.dateNote) {
        entryProblems.push({ file, line: at('dateDerivation'), message: 'dateNote is missing: an inferred date needs a note saying how it was inferred' });
      }
      if (entry.dateDerivation && entry.published === undefined) {
        entryProblems.push({ file, line: at('dateDerivation'), message: 'dateDerivation is given but published is not' });
      }
    }
    if (!parsed.success || entryProblems.length > 0) {
      problems.push(...entryProblems);
      return;
    }
    const { published: _text, ...rest } = parsed.data;
    entries.push({ ...rest, published, line: entryLine, fieldLines });
  });
  return { entries, listedFiles, listReadable: true, problems };
}

function describeIssue(
  issue: z.core.$ZodIssue,
  raw: unknown,
  entryPath: (string | number)[],
  entryLine: number,
  file: string,
  lineOf: (path: readonly (string | number)[]) => number | undefined,
): Problem {
  if (!isRecord(raw)) return { file, line: entryLine, message: 'an article entry must be a mapping with id, file, title...' };
  if (issue.code === 'unrecognized_keys') {
    const key = issue.keys[0]!;
    return {
      file,
      line: lineOf([...entryPath, key]) ?? entryLine,
      message: `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}; known fields: ${Object.keys(entrySchema.shape).join(', ')}`,
    };
  }
  const field = String(issue.path[0] ?? '');
  if (field && !(field in raw)) return { file, line: entryLine, message: `${field} is missing` };
  return { file, line: lineOf([...entryPath, ...issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p))]) ?? entryLine, message: `${field}: ${issue.message}` };
}

function nodeLine(doc: Document, lineCounter: LineCounter, path: readonly (string | number)[]): number | undefined {
  const node = doc.getIn(path, true) as { range?: [number, number, number] } | undefined;
  return node?.range ? lineCounter.linePos(node.range[0]).line : undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
