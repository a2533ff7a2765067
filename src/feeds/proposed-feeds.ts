import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import { registerDataCheck, type Problem } from '../check-data.ts';

/** data/feeds.yaml: the feeds a new install proposes to its admins. */

const proposedFeed = z.object({
  name: z.string().trim().min(1).max(100),
  url: z
    .string()
    .trim()
    .refine((u) => /^https?:\/\/[^\s/]+/.test(u), { message: 'must be an http(s) URL' }),
  about: z.string().trim().max(200).optional(),
  why: z.string().trim().max(300).optional(),
});

const file = z.object({ feeds: z.array(proposedFeed) });

export type ProposedFeed = z.infer<typeof proposedFeed>;

export const PROPOSED_FEEDS_FILE = 'feeds.yaml';

export type ProposedFeedsResult = { ok: true; feeds: ProposedFeed[] } | { ok: false; problems: Problem[] };

/** Reads and checks data/feeds.yaml; a missing file is an empty list. */
export async function readProposedFeeds(dataDir: string): Promise<ProposedFeedsResult> {
  const path = join(dataDir, PROPOSED_FEEDS_FILE);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { ok: true, feeds: [] };
    return { ok: false, problems: [{ file: path, message: (error as Error).message }] };
  }
  let data: unknown;
  try {
    data = parse(text);
  } catch (error) {
    return { ok: false, problems: [{ file: path, message: `not valid YAML (${(error as Error).message.split('\n')[0]})` }] };
  }
  const result = file.safeParse(data);
  if (!result.success) {
    return {
      ok: false,
      problems: result.error.issues.map((issue) => ({
        file: path,
        message: `${issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('').replace(/^\./, '') || 'the file'}: ${issue.message}`,
      })),
    };
  }
  return { ok: true, feeds: result.data.feeds };
}

registerDataCheck({
  name: 'feeds',
  async run(dataDir) {
    const result = await readProposedFeeds(dataDir);
    return result.ok ? [] : result.problems;
  },
});
