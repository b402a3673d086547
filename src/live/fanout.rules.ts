/**
 * Every socket also joins one of this many slice rooms (by its id), and a queue change is sent
 * one slice at a time with a turn of the event loop between: writing to 5,000 sockets is about
 * 200 ms of CPU, which in one piece would hold every page and poll behind it. 64 slices keep
 * each piece near 80 sockets: with 16, a profile under the load soak showed one slice holding
 * the loop for 62 ms.
 */
export const FANOUT_SLICES = 64;

/** The slice room of a socket (FNV-1a of its id). */
export function sliceRoom(socketId: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < socketId.length; i++) {
    hash ^= socketId.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return `slice:${(hash >>> 0) % FANOUT_SLICES}`;
}

/**
 * How much earlier than the configured interval a socket's heartbeat may run (a fraction).
 * Sockets that connect together (a reconnect storm after a restart, or a bench) would otherwise
 * ping together for as long as they stay: 250 pings written in one timer callback held the loop
 * 100–300 ms under the load soak. Only earlier, never later: the client waits for a ping up to
 * the advertised interval plus the ping timeout.
 */
export const HEARTBEAT_SPREAD = 0.2;

/** One socket's heartbeat interval: somewhere in the last HEARTBEAT_SPREAD of `intervalMs`. */
export function heartbeatInterval(intervalMs: number, random: () => number): number {
  return Math.round(intervalMs * (1 - HEARTBEAT_SPREAD * random()));
}
