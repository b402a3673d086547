/**
 * Node's event-loop delay histogram (`monitorEventLoopDelay`, which prom-client's default
 * metrics use with a 10 ms resolution) records the whole time between two samples of its
 * timer, so an idle loop reads the resolution itself. How long the loop was held is that time
 * less the resolution.
 */
export const LOOP_SAMPLING_MS = 10;

/** The time the loop was held, from a sampled delay in milliseconds. */
export function loopHeldMs(sampledMs: number, samplingMs = LOOP_SAMPLING_MS): number {
  return Math.max(0, sampledMs - samplingMs);
}
