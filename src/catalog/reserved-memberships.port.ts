import type { PlaylistMembership } from './catalog.rules';

/**
 * Where the catalog learns which media are reserved (items of immutable playlists) or promo
 * clips, to keep them out of browse, search and pay-to-play. The saved playlists are the
 * playlists module's tables, so it provides this (PlaylistMembershipsModule); the catalog only
 * depends on the port.
 */
export abstract class ReservedMemberships {
  abstract list(): Promise<PlaylistMembership[]>;
  /**
   * Moves whenever `list()` may answer differently (a playlist write on this instance or
   * another): the catalog keys what it caches of the exclusions by it.
   */
  abstract readonly version: number;
}
