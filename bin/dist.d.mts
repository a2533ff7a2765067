/** Types of bin/dist.mjs, for the tests that use it. */
export const root: string;
export const stampFile: string;
export function distStatus(dir?: string): 'current' | 'missing' | 'stale';
