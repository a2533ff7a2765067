import type { Registry } from 'prom-client';
import type { Instruments } from './instruments.ts';

/**
 * What the bot counts, for /metrics. Other modules record through these
 * small functions and never touch prom-client. Recording is free until
 * enableMetrics() is called (at start-up of a long-running bot): counts
 * before that are not kept, gauge values are (they are read at scrape time).
 */

/** How a command ended: answered, answered with a user error, refused (permission), or failed (an apology was sent). */
export type CommandResult = 'ok' | 'user_error' | 'refused' | 'failed';

let instruments: Instruments | undefined;
let leading = false;
const queueDepths = new Map<string, number>();

/** Loads prom-client and creates the process's one registry (default process metrics included). Idempotent. */
export async function enableMetrics(): Promise<Registry> {
  if (!instruments) {
    const { createInstruments } = await import('./instruments.ts');
    instruments ??= createInstruments({ leading: () => leading, queueDepths: () => queueDepths });
  }
  return instruments.registry;
}

/** `seconds`: how long the command ran; left out when it never ran (refused). */
export function recordCommand(command: string, result: CommandResult, seconds?: number): void {
  instruments?.commands.inc({ command, result });
  if (seconds !== undefined) instruments?.commandDuration.observe({ command }, seconds);
}

/** `result`: a short word such as "ok", "not_modified", "timeout", "http_error", "parse_error". */
export function recordFetch(result: string): void {
  instruments?.feedFetches.inc({ result });
}

/** `result`: a short word such as "ok", "failed", "skipped". */
export function recordPost(platform: string, result: string): void {
  instruments?.posts.inc({ platform, result });
}

/** Whether this process holds the scheduler lease now. */
export function setLeader(isLeader: boolean): void {
  leading = isLeader;
}

export function setQueueDepth(queue: string, depth: number): void {
  queueDepths.set(queue, depth);
}
