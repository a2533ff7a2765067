import type { Corpus } from './corpus/corpus.ts';
import type { Store } from './store/store.ts';
import type { Config } from './config.ts';
import type { Logger } from './log.ts';

/**
 * What commands and jobs may use. Built once by src/main.ts (the composition
 * root); tests build their own with real parts.
 */
export interface Services {
  config: Config;
  log: Logger;
  store: Store;
  corpus: Corpus;
  /** The command registry, for /help. */
  commands: readonly import('./router/command.ts').CommandSpec[];
}
