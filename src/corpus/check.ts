import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { dateRange, formatPartialDate } from '../core/dates.ts';
import type { Problem } from '../check-data.ts';
import { corpusDir, readCorpus } from './load.ts';
import { METADATA_FILE } from './metadata.ts';

/**
 * check-data's view of data/corpus: everything the loader reports (schema,
 * missing files, duplicate ids, malformed dates, empty bodies), plus what
 * only matters to someone maintaining the data: unlisted files and dates
 * in the future.
 */
export async function checkCorpusData(dataDir: string, now: Date): Promise<Problem[]> {
  const { entries, listedFiles, listReadable, problems } = await readCorpus(dataDir);
  const dir = corpusDir(dataDir);
  const metadataPath = join(dir, METADATA_FILE);

  // Only meaningful when the list could be read at all.
  if (listReadable) {
    const listed = new Set(listedFiles);
    for (const name of await listTextFiles(dir)) {
      if (!listed.has(name)) {
        problems.push({ file: join(dir, name), message: `not listed in ${METADATA_FILE}: add an entry for it (id, file, title...) or remove the file` });
      }
    }
  }

  const today = latestCalendarDay(now);
  for (const entry of entries) {
    if (entry.published && dateRange(entry.published).start > today) {
      problems.push({
        file: metadataPath,
        line: entry.fieldLines.published ?? entry.line,
        message: `published: ${formatPartialDate(entry.published)} is in the future (article ${entry.id})`,
      });
    }
  }
  return problems;
}

async function listTextFiles(dir: string): Promise<string[]> {
  const names = await readdir(dir).catch(() => [] as string[]);
  return names.filter((n) => n.endsWith('.txt')).sort();
}

/** Today's date where it is already latest (UTC+14), so no time zone sees a false "future". */
function latestCalendarDay(now: Date): string {
  return new Date(now.getTime() + 14 * 3600_000).toISOString().slice(0, 10);
}
