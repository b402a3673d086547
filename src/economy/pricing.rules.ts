/**
 * How prices and eligibility are shown. webqueue never
 * prices anything: these only derive display values from the economy's preview.
 */

export interface PreviewPricing {
  cost_z: number;
  base_cost?: number | null;
  discount_pct?: number | null;
}

/** `base_cost` from the economy, else derived as round(cost_z / (1 − pct/100)). */
export function baseCostOf(p: PreviewPricing): number {
  if (typeof p.base_cost === 'number' && Number.isFinite(p.base_cost)) return p.base_cost;
  const pct = typeof p.discount_pct === 'number' && Number.isFinite(p.discount_pct) ? p.discount_pct : 0;
  if (pct <= 0 || pct >= 100) return p.cost_z;
  return Math.round(p.cost_z / (1 - pct / 100));
}

/** What the discount takes off (never negative). */
export function discountAmount(p: PreviewPricing): number {
  return Math.max(0, baseCostOf(p) - p.cost_z);
}

/** The balance after paying, or null when the balance is unknown. */
export function balanceAfter(balance: number | null, costZ: number): number | null {
  return balance === null ? null : balance - costZ;
}

/** "1,234 Z" */
export function formatZ(amount: number): string {
  const sign = amount < 0 ? '-' : '';
  return `${sign}${Math.abs(Math.trunc(amount))
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, ',')} Z`;
}

/** "+250 Z" / "-1,000 Z" */
export function signedZ(amount: number): string {
  return amount > 0 ? `+${formatZ(amount)}` : formatZ(amount);
}

/** Why a viewer can't queue right now, in words (receipt modal). */
export function eligibilityMessage(
  errorCode: string | null | undefined,
  cooldownRemainingSec?: number,
): string {
  switch (errorCode) {
    case null:
    case undefined:
      return '';
    case 'insufficient_balance':
      return "You don't have enough Z for this item.";
    case 'cooldown_active': {
      if (typeof cooldownRemainingSec === 'number' && cooldownRemainingSec > 0) {
        const minutes = Math.max(1, Math.ceil(cooldownRemainingSec / 60));
        return `You can queue again in ${minutes} minute${minutes === 1 ? '' : 's'}.`;
      }
      return 'You queued recently. Please wait before queuing again.';
    }
    case 'daily_limit_reached':
      return "You've reached today's queue limit. Try again tomorrow.";
    case 'blackout_active':
      return 'Queuing is temporarily disabled.';
    default:
      return 'Queuing is not available right now.';
  }
}

/** Readable labels for economy transactions, by `trigger_id` prefix, then by `type`. */
const TRIGGER_LABELS: [string, string][] = [
  ['presence.base', 'Watching reward'],
  ['spend.queue', 'Queued a video'],
  ['refund.queue', 'Queue refund'],
  ['spend.vanity.chat_color', 'Custom color'],
  ['spend.vanity.custom_greeting', 'Custom greeting'],
  ['spend.vanity.greeting', 'Custom greeting'],
  ['spend.vanity.shoutout', 'Shoutout'],
  ['presence.', 'Presence reward'],
  ['streak', 'Streak bonus'],
  ['achievement', 'Achievement'],
];
const TYPE_LABELS: Record<string, string> = {
  spend: 'Spend',
  refund: 'Refund',
  earn: 'Earned',
  gamble_win: 'Gamble win',
  gamble_loss: 'Gamble loss',
  rain: 'Rain',
  streak_bonus: 'Streak bonus',
  admin_adjust: 'Admin adjustment',
  tip_send: 'Tip sent',
  tip_receive: 'Tip received',
  achievement: 'Achievement',
};

export function transactionLabel(tx: {
  type: string;
  trigger_id: string | null;
  reason?: string | null;
}): string {
  const trigger = tx.trigger_id ?? '';
  for (const [prefix, label] of TRIGGER_LABELS) {
    if (trigger.startsWith(prefix)) return label;
  }
  if (TYPE_LABELS[tx.type]) return TYPE_LABELS[tx.type];
  if (tx.reason) return tx.reason;
  return tx.type.replace(/_/g, ' ').replace(/^\w/, (c) => c.toUpperCase());
}

/** Refund reasons in words (dashboard, history). */
const REFUND_REASONS: Record<string, string> = {
  no_now_playing: 'Nothing was playing, so it could not be placed',
  playlist_add_failed: 'CyTube refused the video',
  add_failed: 'CyTube refused the video',
  move_failed: 'It could not be placed in the queue',
  admin_clear: 'An admin cleared the queue',
  admin_remove: 'An admin removed it',
  admin_playnext_refund: 'An admin played something else next',
  admin_jump: 'An admin jumped past it',
  schedule_displaced: 'A scheduled event replaced the queue',
  owner_left: 'You left the channel',
  owner_afk: 'You were away',
  saga_interrupted: 'The server restarted while queuing',
  spend_uncertain: 'The payment could not be confirmed',
  queue_locked: 'A scheduled event locked the queue while it was being bought',
  internal_error: 'Something went wrong while queuing',
};

export function refundReasonText(reason: string | null | undefined): string {
  if (!reason) return '';
  return REFUND_REASONS[reason] ?? reason.replace(/_/g, ' ');
}

/** The same reasons as an admin reads them (about the viewer, not to them). */
const ADMIN_REFUND_REASONS: Record<string, string> = {
  ...REFUND_REASONS,
  owner_left: 'The viewer left the channel',
  owner_afk: 'The viewer was away',
};

export function adminRefundReasonText(reason: string | null | undefined): string {
  if (!reason) return '';
  return ADMIN_REFUND_REASONS[reason] ?? reason.replace(/_/g, ' ');
}

/**
 * A transaction's reason for people: the economy stores our refund reason codes in it
 * (e.g. "Queue refund: admin_remove"), which read better in words.
 */
export function transactionReasonText(reason: string | null | undefined): string | null {
  if (!reason) return null;
  const code = /^(?:queue refund:\s*)?([a-z_]+)$/i.exec(reason.trim())?.[1];
  return code && REFUND_REASONS[code] ? REFUND_REASONS[code] : reason;
}
