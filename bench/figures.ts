/** One measured figure of a benchmark, with the target it is held to. */
export interface Figure {
  name: string;
  /** Human-readable target, e.g. "≤ 20 ms". */
  target: string;
  measured: number;
  unit: string;
  ok: boolean;
  /** Measured for context and held to no target (the target reads "—"). */
  informational?: true;
}

export function figure(name: string, measured: number, unit: string, limit: number, comparison: '≤' | '≥' = '≤'): Figure {
  const ok = comparison === '≤' ? measured <= limit : measured >= limit;
  return { name, target: `${comparison} ${limit} ${unit}`, measured: round(measured), unit, ok };
}

/** A figure measured for context, held to no target. */
export function contextFigure(name: string, measured: number, unit: string): Figure {
  return { name, target: '—', measured: round(measured), unit, ok: true, informational: true };
}

/** How a figure's outcome reads in a table: yes, no, or — for one held to no target. */
export function verdict(f: Figure): string {
  return f.informational ? '—' : f.ok ? 'yes' : '**no**';
}

export function round(value: number): number {
  return Math.abs(value) >= 100 ? Math.round(value) : Math.round(value * 100) / 100;
}

/** Nearest-rank percentile of already measured samples. */
export function percentile(samples: number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}

export function rssMegabytes(): number {
  return process.memoryUsage().rss / (1024 * 1024);
}
