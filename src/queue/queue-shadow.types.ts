/**
 * The shape of the live queue as webqueue holds it. Shared by the queue
 * shadow (which owns it), the pay-to-play saga, admin queue, presence monitor and promos.
 */
export interface ShadowItem {
  uid: number;
  /** Index in play order, rewritten on every change. */
  position: number;
  title: string | null;
  friendly_token: string | null;
  media_type: string;
  /** For `cm` the manifest URL; for `yt` the video id. */
  media_id: string;
  duration_sec: number | null;
  /** CyTube temp flag (temp items are removed after they play). */
  temp: boolean;
  /** Who CyTube says queued it (the bot for everything webqueue adds). */
  queueby: string | null;
  is_pay: boolean;
  paid_by: string | null;
  /** `queue` | `playnext` for paid items, `admin` for free admin inserts, null otherwise. */
  tier: string | null;
  z_cost: number | null;
  schedule_id: number | null;
  is_promo: boolean;
  promo_type: string | null;
  lead_in_for_uid: number | null;
  /** The spend behind a paid item (spend_requests.request_id). */
  request_id: string | null;
  added_at: Date | null;
  /** Computed after every change (memory only). */
  estimated_start_in_sec?: number;
  estimated_start_at?: string;
}

/** What api-gate says is playing, with the uid recovered when missing. */
export interface NowPlaying {
  uid: number | null;
  media_id: string;
  media_type: string;
  title: string;
  seconds: number;
  currentTime: number;
  paused: boolean;
}

/** Local metadata for an item webqueue itself inserted (paid, admin, promo). */
export type ShadowItemMetadata = Partial<
  Pick<
    ShadowItem,
    | 'title'
    | 'friendly_token'
    | 'duration_sec'
    | 'is_pay'
    | 'paid_by'
    | 'tier'
    | 'z_cost'
    | 'schedule_id'
    | 'is_promo'
    | 'promo_type'
    | 'lead_in_for_uid'
    | 'request_id'
  >
> & { media_type: string; media_id: string };
