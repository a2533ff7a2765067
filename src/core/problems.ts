/**
 * A problem found in a data file, and how it is shown. A leaf module: the
 * loaders and check-data both use it, without importing each other.
 */
export interface Problem {
  /** The file at fault, as a path under the data directory given (e.g. `data/corpus/articles.yaml`). */
  file: string;
  /** 1-based line in that file, when the problem has one. */
  line?: number;
  message: string;
}

/** `data/corpus/articles.yaml:12: published: ...` — the form editors and CI logs understand. */
export function formatProblem(problem: Problem): string {
  return `${problem.file}${problem.line !== undefined ? `:${problem.line}` : ''}: ${problem.message}`;
}

/** A data file that cannot be used as it is; the message lists every problem, to be shown as is (no stack needed). */
export class DataProblemsError extends Error {
  constructor(what: string, readonly problems: readonly Problem[]) {
    super(`${what} has ${problems.length} problem${problems.length === 1 ? '' : 's'}:\n${problems.map((p) => `  ${formatProblem(p)}`).join('\n')}`);
    this.name = 'DataProblemsError';
  }
}
