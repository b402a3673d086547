import {
  balanceAfter,
  baseCostOf,
  discountAmount,
  eligibilityMessage,
  formatZ,
  adminRefundReasonText,
  refundReasonText,
  signedZ,
  transactionLabel,
  transactionReasonText,
} from './pricing.rules';

describe('pricing display rules', () => {
  it('takes base_cost from the economy when present', () => {
    expect(baseCostOf({ cost_z: 900, base_cost: 1000, discount_pct: 10 })).toBe(1000);
  });

  it('derives base_cost as round(cost_z / (1 − pct/100))', () => {
    expect(baseCostOf({ cost_z: 900, discount_pct: 10 })).toBe(1000);
    expect(baseCostOf({ cost_z: 235, discount_pct: 6 })).toBe(250);
    expect(baseCostOf({ cost_z: 500 })).toBe(500);
    expect(baseCostOf({ cost_z: 500, discount_pct: 100 })).toBe(500);
  });

  it('computes the discount and the balance after', () => {
    expect(discountAmount({ cost_z: 900, base_cost: 1000 })).toBe(100);
    expect(discountAmount({ cost_z: 900, base_cost: 800 })).toBe(0);
    expect(balanceAfter(1000, 250)).toBe(750);
    expect(balanceAfter(100, 250)).toBe(-150);
    expect(balanceAfter(null, 250)).toBeNull();
  });

  it('formats Z with thousands separators and signs', () => {
    expect(formatZ(1234)).toBe('1,234 Z');
    expect(formatZ(1234567)).toBe('1,234,567 Z');
    expect(formatZ(0)).toBe('0 Z');
    expect(formatZ(-250)).toBe('-250 Z');
    expect(signedZ(250)).toBe('+250 Z');
    expect(signedZ(-1000)).toBe('-1,000 Z');
  });

  it('words each eligibility error', () => {
    expect(eligibilityMessage('insufficient_balance')).toMatch(/enough Z/);
    expect(eligibilityMessage('cooldown_active', 125)).toBe('You can queue again in 3 minutes.');
    expect(eligibilityMessage('cooldown_active', 30)).toBe('You can queue again in 1 minute.');
    expect(eligibilityMessage('cooldown_active')).toMatch(/wait/);
    expect(eligibilityMessage('daily_limit_reached')).toMatch(/today's queue limit/);
    expect(eligibilityMessage('blackout_active')).toBe('Queuing is temporarily disabled.');
    expect(eligibilityMessage('weird')).toMatch(/not available/);
    expect(eligibilityMessage(null)).toBe('');
  });

  it('labels transactions by trigger, then type', () => {
    expect(transactionLabel({ type: 'earn', trigger_id: 'presence.base' })).toBe('Watching reward');
    expect(transactionLabel({ type: 'spend', trigger_id: 'spend.vanity.chat_color' })).toBe('Custom color');
    expect(transactionLabel({ type: 'spend', trigger_id: 'spend.queue.abc' })).toBe('Queued a video');
    expect(transactionLabel({ type: 'refund', trigger_id: 'refund.queue.abc' })).toBe('Queue refund');
    expect(transactionLabel({ type: 'tip_receive', trigger_id: null })).toBe('Tip received');
    expect(transactionLabel({ type: 'odd_thing', trigger_id: null })).toBe('Odd thing');
  });

  it('explains refund reasons', () => {
    expect(refundReasonText('admin_clear')).toBe('An admin cleared the queue');
    expect(refundReasonText('some_new_reason')).toBe('some new reason');
    expect(refundReasonText(null)).toBe('');
    // an admin reads about the viewer, not to them
    expect(refundReasonText('owner_left')).toBe('You left the channel');
    expect(adminRefundReasonText('owner_left')).toBe('The viewer left the channel');
    expect(adminRefundReasonText('owner_afk')).toBe('The viewer was away');
    expect(adminRefundReasonText('admin_clear')).toBe('An admin cleared the queue');
  });
});

describe('transactionReasonText', () => {
  it('turns refund reason codes into words and leaves other reasons alone', () => {
    expect(transactionReasonText('Queue refund: admin_remove')).toBe('An admin removed it');
    expect(transactionReasonText('owner_left')).toBe('You left the channel');
    expect(transactionReasonText('Simulator balance set')).toBe('Simulator balance set');
    expect(transactionReasonText('Queue refund: something_new')).toBe('Queue refund: something_new');
    expect(transactionReasonText(null)).toBeNull();
  });
});
