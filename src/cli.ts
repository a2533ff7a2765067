import { parseArgs } from 'node:util';
import { ConfigError, readConfig } from './config.ts';
import { createLogger } from './log.ts';
import { guardProcess, reportFailure } from './cli-failure.ts';
import { dispatchLine } from './router/dispatch.ts';
import { renderPlainText } from './reply/plain-text.ts';
import { cliChannelAddress } from './schedule/channel-address.ts';
import { pictureLine, replyJson, writeReplyImage } from './reply/image-file.ts';

/**
 * The `armistice` command line. Exit codes: 0 done (user errors in answers
 * included), 1 the bot could not do it (bad configuration, broken data),
 * 2 misuse of the command line.
 */
export type Subcommand = (argv: string[], io: CliIO) => Promise<number>;

export interface CliIO {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  env: Record<string, string | undefined>;
}

const USAGE = `Usage: armistice <command>

  start                         run the bot (console chat when no platform token is set)
  ask "<command line>" [--json] [--admin] [--channel CHANNEL] [--out file.png]
                                answer one command and print the reply; CHANNEL is
                                where it is asked (default: this terminal): a name
                                (seoul-room) is its own terminal channel, or write
                                discord:<id>, slack:<id> or console:<name>; a picture
                                is written to --out (default var/pictures/)
  check-data                    validate data/ and say what is wrong where
  poll [--once | --all]         poll the due feeds now and print what happened; --all
                                fetches every feed regardless of its poll interval
                                (a failing feed's backoff and a server's Retry-After
                                still hold it back, and say until when)
  tick --at <ISO instant> [--dry-run]
                                run the scheduled jobs due at that instant
  deploy-commands [--guild ID]  register the slash commands on Discord
  knowledge export [--out DIR]  write the facts admins approved with /review as curated
                                records (a checked copy of DATA_DIR; default var/knowledge-export)
  knowledge reextract           re-run the extractor over the stored feed articles
`;

export class UsageError extends Error {}

// Each subcommand's module is loaded only when it runs, so `ask` does not
// pay for discord.js and a usage error answers at once.
const subcommands: Record<string, Subcommand> = {
  start: startCommand,
  ask: askCommand,
  'check-data': checkDataCommand,
  poll: pollCommand,
  tick: async (argv, io) => (await import('./schedule/tick-cli.ts')).tickCommand(argv, io),
  'deploy-commands': async (argv, io) => (await import('./platform/discord/registration.ts')).deployCommandsCli(argv, io),
  knowledge: async (argv, io) => (await import('./knowledge/knowledge-cli.ts')).knowledgeCommand(argv, io),
};

export async function main(argv: string[], io: CliIO = { stdout: process.stdout, stderr: process.stderr, env: process.env }): Promise<number> {
  const [name = 'start', ...rest] = argv;
  if (name === '--help' || name === '-h' || name === 'help') {
    io.stdout.write(USAGE);
    return 0;
  }
  const run = subcommands[name];
  if (!run) {
    io.stderr.write(`armistice: unknown command “${name}”.\n\n${USAGE}`);
    return 2;
  }
  try {
    return await run(rest, io);
  } catch (error) {
    if (error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      io.stderr.write(`armistice ${name}: ${(error as Error).message}\n\n${USAGE}`);
      return 2;
    }
    if (error instanceof ConfigError) {
      io.stderr.write(`armistice: ${error.message}\nFix the setting in .env or the environment (see .env.example).\n`);
      return 1;
    }
    reportFailure(name, error, io.stderr, createLogger(logLevel(io.env), io.stderr));
    return 1;
  }
}

/**
 * `bin/armistice.mjs`: the command line as a process. Failures nobody
 * awaited are reported like the others (one line; the stack at debug level)
 * instead of Node's default stack dump.
 */
export async function runAsProcess(argv: string[]): Promise<number> {
  const io: CliIO = { stdout: process.stdout, stderr: process.stderr, env: process.env };
  guardProcess(argv[0] ?? 'start', createLogger(logLevel(io.env), io.stderr));
  return main(argv, io);
}

/** LOG_LEVEL when the configuration reads, else the default (the configuration error is reported on its own). */
function logLevel(env: CliIO['env']): string {
  try {
    return readConfig(env).LOG_LEVEL;
  } catch {
    return 'info';
  }
}

async function startCommand(argv: string[], io: CliIO): Promise<number> {
  parseArgs({ args: argv, options: {}, allowPositionals: false });
  const config = readConfig(io.env);
  const log = createLogger(config.LOG_LEVEL);
  const { startBot } = await import('./main.ts');
  await startBot(config, log);
  return 0;
}

async function askCommand(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: {
      json: { type: 'boolean', default: false },
      admin: { type: 'boolean', default: false },
      channel: { type: 'string', default: 'console' },
      out: { type: 'string' },
    },
    allowPositionals: true,
  });
  if (positionals.length !== 1) throw new UsageError('ask takes exactly one quoted command line, e.g. armistice ask "/whois Moon"');
  const channel = cliChannelAddress(values.channel);
  if (!channel.ok) throw new UsageError(channel.message);
  const config = readConfig(io.env);
  const log = createLogger(config.LOG_LEVEL);
  const { buildServices } = await import('./main.ts');
  const services = await buildServices(config, log);
  try {
    const reply = await dispatchLine(services, positionals[0]!, {
      user: { id: 'cli', isAdmin: values.admin },
      channel: { id: channel.address, platform: 'cli' },
    });
    const path = reply.image ? await writeReplyImage(reply.image, values.out) : undefined;
    const picture = path && reply.image ? `\n${pictureLine(path, reply.image)}` : '';
    io.stdout.write(values.json ? `${replyJson(reply, path)}\n` : `${renderPlainText(reply)}${picture}\n`);
    return 0;
  } finally {
    await services.close();
  }
}

async function checkDataCommand(argv: string[], io: CliIO): Promise<number> {
  parseArgs({ args: argv, options: {}, allowPositionals: false });
  const config = readConfig(io.env);
  const { checkData, formatProblem } = await import('./check-data.ts');
  await import('./knowledge/check.ts'); // registers the knowledge check with check-data
  const problems = await checkData(config.DATA_DIR);
  if (problems.length === 0) {
    io.stdout.write(`${config.DATA_DIR}: all data is valid.\n`);
    return 0;
  }
  for (const p of problems) io.stdout.write(`${formatProblem(p)}\n`);
  io.stdout.write(`${problems.length} problem(s) found.\n`);
  return 1;
}

async function pollCommand(argv: string[], io: CliIO): Promise<number> {
  parseArgs({ args: argv, options: { once: { type: 'boolean' }, all: { type: 'boolean' } }, allowPositionals: false }); // misuse exits 2 before any work
  const config = readConfig(io.env);
  const { buildServices } = await import('./main.ts');
  const { pollAsLeader } = await import('./feeds/poll/poll-command.ts');
  const services = await buildServices(config, createLogger(config.LOG_LEVEL));
  try {
    return await pollAsLeader(services, argv, io.stdout);
  } finally {
    await services.close();
  }
}
