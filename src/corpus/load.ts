import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Article } from './corpus.ts';
import { DataProblemsError, type Problem } from '../core/problems.ts';
import { cleanArticleText } from './clean.ts';
import { METADATA_FILE, parseArticleMetadata, type ArticleMetadata } from './metadata.ts';

/**
 * Loads data/corpus: articles.yaml plus the raw .txt files it lists, cleaned.
 * Problems in the data are values naming file and line, never exceptions with
 * a stack: an article with a problem is left out, the others still load.
 */

export interface CorpusReadResult {
  articles: Article[];
  /** The metadata entries that were valid, with their lines in articles.yaml. */
  entries: ArticleMetadata[];
  /** Every file articles.yaml names, including those of invalid entries. */
  listedFiles: string[];
  /** False when articles.yaml is missing, not YAML, or has no `articles:` list. */
  listReadable: boolean;
  problems: Problem[];
}

export function corpusDir(dataDir: string): string {
  return join(dataDir, 'corpus');
}

export async function readCorpus(dataDir: string): Promise<CorpusReadResult> {
  const dir = corpusDir(dataDir);
  const metadataPath = join(dir, METADATA_FILE);
  let metadataText: string;
  try {
    metadataText = await readFile(metadataPath, 'utf8');
  } catch (error) {
    return { articles: [], entries: [], listedFiles: [], listReadable: false, problems: [{ file: metadataPath, message: unreadable(error, 'the corpus metadata file') }] };
  }

  const { entries: parsed, listedFiles, listReadable, problems } = parseArticleMetadata(metadataText, metadataPath);
  const entries = withoutDuplicates(parsed, metadataPath, problems);
  const loaded = await Promise.all(entries.map((entry) => loadArticle(dir, entry, metadataPath)));
  const articles: Article[] = [];
  for (const result of loaded) {
    if ('problem' in result) problems.push(result.problem);
    else articles.push(result.article);
  }
  problems.sort((a, b) => a.file.localeCompare(b.file) || (a.line ?? 0) - (b.line ?? 0));
  return { articles, entries, listedFiles, listReadable, problems };
}

/** For start-up: the articles, or a CorpusDataError listing every problem. */
export async function loadArticles(dataDir: string): Promise<Article[]> {
  const { articles, problems } = await readCorpus(dataDir);
  if (problems.length > 0) throw new CorpusDataError(problems);
  return articles;
}

/** Thrown by loadArticles; its message is meant to be shown as is (no stack needed). */
export class CorpusDataError extends DataProblemsError {
  constructor(problems: readonly Problem[]) {
    super('The article corpus', problems);
    this.name = 'CorpusDataError';
  }
}

/** Two entries with one id (or one file) would make /source ambiguous: the first wins. */
function withoutDuplicates(entries: ArticleMetadata[], file: string, problems: Problem[]): ArticleMetadata[] {
  const byId = new Map<string, ArticleMetadata>();
  const byFile = new Map<string, ArticleMetadata>();
  const kept: ArticleMetadata[] = [];
  for (const entry of entries) {
    const sameId = byId.get(entry.id);
    const sameFile = byFile.get(entry.file);
    if (sameId) {
      problems.push({ file, line: entry.fieldLines.id ?? entry.line, message: `duplicate id "${entry.id}" (first used at line ${sameId.line}); ids must be unique` });
    } else if (sameFile) {
      problems.push({ file, line: entry.fieldLines.file ?? entry.line, message: `file "${entry.file}" is already listed at line ${sameFile.line}` });
    } else {
      byId.set(entry.id, entry);
      byFile.set(entry.file, entry);
      kept.push(entry);
    }
  }
  return kept;
}

async function loadArticle(dir: string, entry: ArticleMetadata, metadataPath: string): Promise<{ article: Article } | { problem: Problem }> {
  const at = { file: metadataPath, line: entry.fieldLines.file ?? entry.line };
  let bytes: Buffer;
  try {
    bytes = await readFile(join(dir, entry.file));
  } catch (error) {
    return { problem: { ...at, message: `file: ${unreadable(error, `"${entry.file}"`)} (listed for article ${entry.id})` } };
  }
  const raw = decodeUtf8(bytes);
  if (typeof raw !== 'string') {
    return { problem: { file: join(dir, entry.file), line: raw.line, message: 'is not UTF-8 text: save it as UTF-8' } };
  }
  const cleaned = cleanArticleText(raw);
  if (cleaned.paragraphs.length === 0) {
    return { problem: { file: join(dir, entry.file), message: `article ${entry.id} has no text left once boilerplate is removed` } };
  }
  const title = entry.title ?? cleaned.title;
  if (!title) {
    return { problem: { file: metadataPath, line: entry.line, message: `title is missing: ${entry.file} does not open with a headline, so articles.yaml must give one` } };
  }
  const article: Article = { id: entry.id, title, paragraphs: cleaned.paragraphs, origin: 'seed' };
  if (entry.outlet) article.outlet = entry.outlet;
  if (entry.url) article.url = entry.url;
  if (entry.published) article.published = entry.published;
  if (entry.dateDerivation) article.dateDerivation = entry.dateDerivation;
  if (entry.dateNote) article.dateNote = entry.dateNote;
  if (entry.note) article.note = entry.note;
  return { article };
}

/** The text, or the line of the first byte sequence that is not UTF-8. */
function decodeUtf8(bytes: Buffer): string | { line: number } {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    const lenient = new TextDecoder('utf-8').decode(bytes);
    const bad = lenient.indexOf('\uFFFD');
    return { line: lenient.slice(0, Math.max(0, bad)).split('\n').length };
  }
}

function unreadable(error: unknown, what: string): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT') return `${what} does not exist`;
  if (code === 'EISDIR') return `${what} is a directory, not a file`;
  if (code === 'EACCES') return `${what} cannot be read (permission denied)`;
  return `${what} cannot be read (${error instanceof Error ? error.message : String(error)})`;
}
