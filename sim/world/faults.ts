import { type Rng } from './rng';

/**
 * Fault injection rules for `PUT /sim/faults`. A rule matches a method (or any) and a path:
 * a path containing `*` is a glob (`*` = any characters), otherwise it is a prefix.
 * `times` limits how many matching requests it applies to; `rate` is a probability drawn
 * from the world's seeded RNG.
 */
export interface FaultRule {
  method?: string;
  path: string;
  status?: number;
  /** JSON body to send with `status` (default: `{detail}`; a 500 defaults to plain text). */
  body?: unknown;
  /** Extra response headers with `status` (e.g. `Retry-After` on a 429). */
  headers?: Record<string, string>;
  latency_ms?: number;
  /** Never answer: hang until the client gives up (or the server closes). */
  timeout?: boolean;
  /** Destroy the socket without answering (a network error). */
  drop?: boolean;
  /**
   * With `status` (or `timeout`): the request is still carried out although the client sees the
   * fault. `before`: carried out, then the fault is answered (a reply lost on the way back).
   * `later`: the fault is answered first and the request is carried out at the next flush of
   * pending commands (like kryten-economy applying a spend after api-gate's 5 s NATS timeout
   * answered a plain 500).
   */
  applies?: 'before' | 'later';
  /** Answer 200 `{message_id}` like a published fire-and-forget command, and never apply it. */
  swallow?: boolean;
  times?: number;
  rate?: number;
}

interface ActiveRule {
  rule: FaultRule;
  remaining: number;
  matcher: (path: string) => boolean;
}

export class FaultValidationError extends Error {}

function compile(path: string): (p: string) => boolean {
  if (path.includes('*')) {
    const escaped = path.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'));
    const re = new RegExp(`^${escaped.join('.*')}$`);
    return (p) => re.test(p);
  }
  return (p) => p.startsWith(path);
}

export class Faults {
  private rules: ActiveRule[] = [];
  constructor(private readonly rng: Rng) {}

  set(rules: unknown): void {
    if (!Array.isArray(rules)) throw new FaultValidationError('rules must be an array');
    this.rules = rules.map((raw: unknown) => {
      if (typeof raw !== 'object' || raw === null) {
        throw new FaultValidationError('each rule must be an object');
      }
      const rule = raw as FaultRule;
      if (typeof rule.path !== 'string' || rule.path === '') {
        throw new FaultValidationError('rule.path is required');
      }
      if (rule.status === undefined && !rule.latency_ms && !rule.timeout && !rule.drop && !rule.swallow) {
        throw new FaultValidationError('a rule needs status, latency_ms, timeout, drop or swallow');
      }
      if (rule.applies !== undefined) {
        if (rule.applies !== 'before' && rule.applies !== 'later') {
          throw new FaultValidationError("rule.applies must be 'before' or 'later'");
        }
        if (rule.status === undefined && !rule.timeout) {
          throw new FaultValidationError('rule.applies needs a status or timeout to answer with');
        }
      }
      return { rule, remaining: rule.times ?? Infinity, matcher: compile(rule.path) };
    });
  }

  clear(): void {
    this.rules = [];
  }

  list(): FaultRule[] {
    return this.rules.map((r) => ({
      ...r.rule,
      times: Number.isFinite(r.remaining) ? r.remaining : undefined,
    }));
  }

  /** The first rule that applies to this request, consuming one of its `times`. */
  match(method: string, path: string): FaultRule | null {
    for (const active of this.rules) {
      const m = active.rule.method?.toUpperCase();
      if (m && m !== '*' && m !== method.toUpperCase()) continue;
      if (active.remaining <= 0 || !active.matcher(path)) continue;
      if (active.rule.rate !== undefined && !(this.rng.next() < active.rule.rate)) continue;
      active.remaining--;
      return active.rule;
    }
    return null;
  }
}
