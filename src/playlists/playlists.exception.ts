import { DomainException } from '../common/domain-exception';

export enum PlaylistErrorCode {
  NotFound = 'playlist_not_found',
  NoPlaylist = 'no_playlist',
}

/** 404 `Playlist not found`. */
export class PlaylistNotFoundException extends DomainException {
  constructor() {
    super(404, PlaylistErrorCode.NotFound, 'Playlist not found');
  }
}

/** 409 on `/recent/append` when the admin has created no playlist yet. */
export class NoRecentPlaylistException extends DomainException {
  constructor() {
    super(409, PlaylistErrorCode.NoPlaylist, 'Create a playlist first');
  }
}
