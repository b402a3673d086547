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
