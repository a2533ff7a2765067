import { checkCorpusData } from './corpus/check.ts';
import type { Problem } from './core/problems.ts';

export { DataProblemsError, formatProblem, type Problem } from './core/problems.ts';

/**
 * Validation of everything in data/: a list of checks, each returning the
 * problems it finds. `npx armistice check-data` prints them; the test suite
 * runs it on the real data/.
 *
 * Other areas add their checks with `registerDataCheck` from the module that
 * owns the data (e.g. src/knowledge for data/knowledge/); that module must be
 * imported before `checkData` runs.
 */

export interface DataCheckContext {
  /** "Now", for checks such as "no date in the future". */
  now: Date;
}

export interface DataCheck {
  /** Shown when the check itself fails, e.g. `corpus`, `knowledge`. */
  name: string;
  run(dataDir: string, context: DataCheckContext): Promise<Problem[]> | Problem[];
}

const checks: DataCheck[] = [{ name: 'corpus', run: (dataDir, context) => checkCorpusData(dataDir, context.now) }];

/** Adds a check; a second check with the same name replaces the first. */
export function registerDataCheck(check: DataCheck): void {
  const index = checks.findIndex((c) => c.name === check.name);
  if (index >= 0) checks[index] = check;
  else checks.push(check);
}

export function registeredDataChecks(): readonly DataCheck[] {
  return checks;
}

/**
 * Runs every check on `dataDir`. Never throws because of the data: a check
 * that crashes becomes a problem naming the check, so one broken area does not
 * hide the others' findings.
 */
export async function checkData(dataDir: string, options: { now?: Date } = {}): Promise<Problem[]> {
  const context = { now: options.now ?? new Date() };
  const problems: Problem[] = [];
  for (const check of checks) {
    try {
      problems.push(...(await check.run(dataDir, context)));
    } catch (error) {
      problems.push({
        file: dataDir,
        message: `the ${check.name} check could not run: ${error instanceof Error ? error.message : String(error)}`,
      });
    }
  }
  return problems;
}
