import type { Logger } from '../../log.ts';
import type { Store } from '../../store/store.ts';

/**
 * Slack redelivers a request it thinks went unanswered (HTTP `X-Slack-Retry-Num`,
 * Socket Mode `retry_attempt`). Each delivery carries the same trigger id, so
 * the first one to claim that id in the store is processed and the others are
 * only acknowledged. The store makes this hold across instances.
 */
export interface DeliveryGuard {
  /** True for the first delivery of `key`; deliveries without a key always pass. */
  claim(key: string | undefined): Promise<boolean>;
}

const KEEP_MS = 30 * 60_000;

export function createDeliveryGuard(store: Store, log: Logger, keepMs = KEEP_MS): DeliveryGuard {
  const claims = store.collection<number>('slack-deliveries');
  return {
    async claim(key) {
      if (!key) return true;
      try {
        return await claims.setIfAbsent(key, Date.now(), keepMs);
      } catch (error) {
        // Answering twice beats never answering.
        log.warn({ err: error }, 'slack: could not record a delivery; processing it anyway');
        return true;
      }
    },
  };
}

/** The identity of one user action, the same on every redelivery. */
export function deliveryKey(body: { trigger_id?: unknown; event_id?: unknown; team_id?: unknown; team?: unknown }): string | undefined {
  const team = typeof body.team_id === 'string' ? body.team_id : teamIdOf(body.team);
  if (typeof body.trigger_id === 'string' && body.trigger_id) return `${team ?? '-'}:trigger:${body.trigger_id}`;
  if (typeof body.event_id === 'string' && body.event_id) return `${team ?? '-'}:event:${body.event_id}`;
  return undefined;
}

function teamIdOf(team: unknown): string | undefined {
  if (team && typeof team === 'object' && 'id' in team && typeof team.id === 'string') return team.id;
  return undefined;
}
