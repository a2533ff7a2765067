import { parseArgs } from 'node:util';
import type { CliIO } from '../cli.ts';
import { readConfig } from '../config.ts';
import { createLogger } from '../log.ts';

/**
 * `armistice knowledge <subcommand>`: work on what the bot has learnt.
 * One entry per subcommand; each loads what it needs only when it runs.
 */
type KnowledgeSubcommand = (argv: string[], io: CliIO) => Promise<number>;

const subcommands: Record<string, KnowledgeSubcommand> = {
  export: exportCommand,
  reextract: async (argv, io) => (await import('./reextract-cli.ts')).reextractCommand(argv, io),
};

export const KNOWLEDGE_USAGE = `Usage: armistice knowledge <subcommand>

  export [--out DIR]            write the facts admins approved with /review as curated
                                records: a copy of DATA_DIR with them added (default
                                --out var/knowledge-export), checked like check-data
  reextract                     re-run the extractor over the stored feed articles and
                                replace each one's stored extraction (idempotent)
`;

export async function knowledgeCommand(argv: string[], io: CliIO): Promise<number> {
  const [name, ...rest] = argv;
  const run = name === undefined ? undefined : subcommands[name];
  if (!run) {
    io.stderr.write(`armistice knowledge: ${name === undefined ? 'which subcommand?' : `unknown subcommand “${name}”.`}\n\n${KNOWLEDGE_USAGE}`);
    return 2;
  }
  return run(rest, io);
}

async function exportCommand(argv: string[], io: CliIO): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { out: { type: 'string', default: 'var/knowledge-export' } }, allowPositionals: false });
  const config = readConfig(io.env);
  const { buildServices } = await import('../main.ts');
  const { exportReviewed, ExportError } = await import('./export.ts');
  const { checkData, formatProblem } = await import('../check-data.ts');
  await import('./check.ts'); // registers the knowledge check with check-data
  const services = await buildServices(config, createLogger(config.LOG_LEVEL));
  let result;
  try {
    // The decisions as of now, whichever instance made them.
    await services.reviews.sync();
    result = await exportReviewed({
      dataDir: config.DATA_DIR,
      outDir: values.out,
      entities: services.knowledge.entities(),
      events: services.knowledge.events(),
      article: (id) => services.corpus.get(id),
    });
  } catch (error) {
    if (!(error instanceof ExportError)) throw error;
    io.stderr.write(`armistice knowledge export: ${error.message}\n`);
    return 1;
  } finally {
    await services.close();
  }
  io.stdout.write(
    `${values.out}: ${result.entities} reviewed entit${result.entities === 1 ? 'y' : 'ies'} and ${result.events} event${result.events === 1 ? '' : 's'} added, ` +
      `with the ${result.articles} feed article${result.articles === 1 ? '' : 's'} they cite.\n`,
  );
  if (result.droppedLinks > 0) io.stdout.write(`${result.droppedLinks} link(s) to entities not exported (not reviewed yet, or rejected) were left out.\n`);
  const problems = await checkData(values.out);
  if (problems.length > 0) {
    for (const p of problems) io.stdout.write(`${formatProblem(p)}\n`);
    io.stdout.write(`${problems.length} problem(s) found: fix them in ${values.out} before copying it over ${config.DATA_DIR}.\n`);
    return 1;
  }
  io.stdout.write(`check-data: all data in ${values.out} is valid. Compare it with ${config.DATA_DIR} and copy over what you keep.\n`);
  return 0;
}
