/**
 * Every socket also joins one of this many slice rooms (by its id), and a queue change is sent
 * one slice at a time with a turn of the event loop between: writing to 5,000 sockets is about
 * 200 ms of CPU, which in one piece would hold every page and poll behind it.
 */
export const FANOUT_SLICES = 16;

/** The slice room of a socket (FNV-1a of its id). */
export function sliceRoom(socketId: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < socketId.length; i++) {
    hash ^= socketId.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return `slice:${(hash >>> 0) % FANOUT_SLICES}`;
}
