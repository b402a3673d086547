import type { ShadowItem } from '../queue/queue-shadow.types';
/**
 * In-process events (EventEmitter2, `@OnEvent`) between modules, and the Socket.IO events
 * the live gateway forwards to browsers. Emit with `eventEmitter.emit(LiveEvent.X, payload)`.
 */
export const LiveEvent = {
  /** The queue shadow changed (content, order, now-playing item or pay metadata). */
  QueueChanged: 'queue.changed',
  /** A schedule fired: `{schedule_id, playlist_name, is_immutable}`. */
  ScheduleFired: 'schedule.fired',
  /** A pay-to-play saga moved a step (admin dashboards). */
  SagaStep: 'saga.step',
  /** A refund was made or failed (admin dashboards). */
  Refund: 'economy.refund',
  /** The presence monitor's tracked owners changed (admin dashboards). */
  Presence: 'presence.update',
  /** The state feed went stale (api-gate errors) or recovered. */
  FeedStatus: 'queue.feed_status',
  /** A job run started, wrote progress or finished (admin dashboards). */
  JobRun: 'jobs.run',
  /**
   * A state poll succeeded (the shadow mirrors CyTube again): `{}`. Emitted with `emitAsync`
   * and awaited, so the promo round that follows belongs to the same tick.
   */
  Polled: 'queue.polled',
  /**
   * The shadow applied a poll: `ShadowPolledEvent` (the lists before and after, now playing).
   * Awaited, so what follows from it (the event lock lifting) belongs to the same poll.
   */
  ShadowPolled: 'queue.shadow_polled',
  /**
   * A paid item was just recorded, inside the purchase and under the QueueMutex:
   * `PaidInsertRecordedEvent`. Awaited; listeners must not take the mutex, and a failure never fails
   * the purchase (promos: the Viewer's Choice lead-in).
   */
  PaidInsertRecorded: 'pay.recorded',
  /** A state poll failed (api-gate error): `{error}`. */
  PollFailed: 'queue.poll_failed',
  /** The promo director decided something: `{outcome, promo_type}` (metrics). */
  PromoDecided: 'promos.decided',
  /** An import to live added (or failed) one more item: `ImportProgressEvent` (admin page, "n of m"). */
  ImportProgress: 'playlists.import_progress',
  /** The promo preview (next decisions, chances) changed: `PromoPreviewEvent` (admin page). */
  PromoPreview: 'promos.preview',
  /** A session token was revoked (logout): `{jti}`. Its sockets are closed. */
  SessionRevoked: 'auth.session_revoked',
  /** A live rank read was below admin for someone who had been an admin: `{username, rank}`. */
  AdminRankLost: 'auth.admin_rank_lost',
} as const;

export type PolledEvent = Record<string, never>;

export interface PollFailedEvent {
  error: string;
}

export interface ImportProgressEvent {
  playlist_id: number;
  done: number;
  total: number;
  failed: { position: number; title: string | null; error: string } | null;
}

/** The promo director's preview, as the admin page shows it (built by the promos module). */
export interface PromoPreviewEvent {
  at: string;
  idle: string | null;
  steps: readonly unknown[];
  readout: unknown;
}

export interface PromoDecidedEvent {
  outcome: string;
  promo_type: string;
}

export interface ShadowPolledEvent {
  before: readonly ShadowItem[];
  after: readonly ShadowItem[];
  now_playing_uid: number | null;
}

export interface PaidInsertRecordedEvent {
  uid: number;
  request_id: string;
  username: string;
}

export interface SessionRevokedEvent {
  jti: string;
}

export interface AdminRankLostEvent {
  username: string;
  rank: number;
}

export interface SagaStepEvent {
  request_id: string;
  username: string;
  state: string;
  /** The spend's cost once known (metrics count Z spent at `spent`). */
  z_cost?: number | null;
  uid: number | null;
  title: string | null;
  error?: string | null;
}

export interface RefundEvent {
  request_id: string;
  username: string;
  uid: number | null;
  reason: string;
  /** The reason in words, as an admin reads it. */
  reason_text: string;
  success: boolean;
  refunded_z: number | null;
}

export interface PresenceEvent {
  tracked: { owner: string; state: 'gone' | 'afk'; since: string; grace_left_sec: number; items: number }[];
}

export interface FeedStatusEvent {
  stale: boolean;
  error?: string;
  since?: string;
}

export interface JobRunEvent {
  run_id: number;
  job_name: string;
  status: string;
  started_at: string;
  ended_at: string | null;
  detail: unknown;
  summary: string;
  progress: { label: string; percent: number | null } | null;
  failures: string[];
}
