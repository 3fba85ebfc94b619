import { setFlagsFromString } from 'node:v8';

/**
 * Bounds how far V8 lets the old generation grow past what survived the last full
 * GC (a factor of 1 + percent/100) before it collects again.
 *
 * Why: under load most of our heap is garbage that outlived a scavenge because its
 * request was still in flight. V8's own rule lets the old generation grow up to 4×
 * the live data before a full GC, so ~40 MB of live data became 300 MB RSS under
 * `npm run bench:http`. A growth bound, unlike `--max-old-space-size`, is not a
 * ceiling: a burst of large bodies still gets the memory it needs, the heap is only
 * collected sooner. V8 reads the flag at every GC, so setting it at boot takes
 * effect without a command-line flag (which `node dist/...` and images would each
 * have to repeat). 0 leaves V8's rule.
 */
export function limitHeapGrowth(percent: number): void {
  if (percent > 0) setFlagsFromString(`--heap-growing-percent=${percent}`);
}
