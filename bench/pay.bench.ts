/**
 * Purchase benchmark (printed, never asserted): a rush of 100 buyers pressing "queue" at once,
 * against the whole app on loopback and the simulator on a real clock (CyTube applies a move
 * 250 ms after it is sent, as the real Robot does a moment later). Prints each buyer's answer
 * time (p50 / p95 / max, goal p95 < 3 s), the api-gate calls per purchase by route (goal ≤ 6)
 * and the money check (every Z spent is in an item or refunded).
 * The simulator runs in the same process, so its own work is in the figures too.
 */
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { AppModule } from '../src/app.module';
import { configureApp } from '../src/app.setup';
import { signSession } from '../src/auth/session-token';
import { CatalogService } from '../src/catalog/catalog.service';
import { parseConfig } from '../src/config/config.loader';
import { StatePoller } from '../src/queue/queue.poller';
import { DataSource } from 'typeorm';
import { startSimulator } from '../sim/server';
import { SimControl } from '../sim/sim-control';

const BUYERS = 100;

const out = (line: string): boolean => process.stdout.write(`${line}\n`);

function pct(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

export async function runPayBench(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'wq-pay-bench-'));
  const sim = await startSimulator({
    port: 0,
    seed: 12,
    clock: 'real',
    catalogSize: BUYERS + 20,
    world: { economy: { queue_cooldown_minutes: 0, max_queues_per_day: 1000 } },
  });
  const ctl = new SimControl(sim.url);
  const { config } = parseConfig({
    secret_key: 'bench-secret-key-that-is-long-enough-0123456789',
    api_gate_url: sim.url,
    api_gate_token: sim.apiToken,
    mediacms_url: sim.url,
    mediacms_token: sim.mediacmsToken,
    db_path: join(dir, 'pay.db'),
    image_dir: join(dir, 'images'),
    placeholder_dir: join(dir, 'images', 'placeholders'),
    log_level: 'error',
    catalog_sync_interval_hours: 0,
  });
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config), {
    logger: ['error'],
  });
  configureApp(app);
  await app.listen(0, '127.0.0.1');
  const url = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
  try {
    await app.get(CatalogService).runSync('bench');
    const tokens = (
      await app
        .get(DataSource)
        .query<{ token: string }[]>(
          'SELECT friendly_token AS token FROM catalog WHERE hidden = 0 AND gone_at IS NULL AND duration_sec > 0',
        )
    ).map((r) => r.token);
    for (const token of tokens.slice(-2)) await ctl.queueAsOther({ token, queueby: 'SomeoneElse' });
    const buyers = Array.from({ length: BUYERS }, (_, i) => `rush${i}`);
    for (const name of buyers) await ctl.addUser({ name, balance: 100_000 });
    await app.get(StatePoller).tick();
    await ctl.resetRequests();

    const started = performance.now();
    const answers = await Promise.all(
      buyers.map(async (name, i) => {
        const t0 = performance.now();
        const res = await fetch(`${url}/queue/add`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            origin: url,
            cookie: `session=${signSession({ username: name, rank: 1 }, config.secret_key, Date.now(), 1)}`,
          },
          body: JSON.stringify({ friendly_token: tokens[i % (tokens.length - 2)], client_key: `rush-${i}` }),
        });
        await res.arrayBuffer();
        return { status: res.status, ms: performance.now() - t0 };
      }),
    );
    const wall = performance.now() - started;
    const times = answers.map((a) => a.ms).sort((a, b) => a - b);
    const byStatus = new Map<number, number>();
    for (const a of answers) byStatus.set(a.status, (byStatus.get(a.status) ?? 0) + 1);
    const delivered = byStatus.get(200) ?? 0;
    out(
      `${BUYERS} buyers at once: answers p50 ${(pct(times, 50) / 1000).toFixed(2)} s, ` +
        `p95 ${(pct(times, 95) / 1000).toFixed(2)} s (goal < 3 s), max ${(times[times.length - 1] / 1000).toFixed(2)} s; ` +
        `all answered in ${(wall / 1000).toFixed(2)} s; statuses ${JSON.stringify(Object.fromEntries(byStatus))}`,
    );
    const requests = await ctl.requests();
    const purchaseRoutes = Object.entries(requests).filter(
      ([route]) => !route.startsWith('GET /api/v1/state/user'),
    );
    const total = purchaseRoutes.reduce((sum, [, n]) => sum + n, 0);
    out(
      `api-gate calls per delivered purchase: ${(total / Math.max(1, delivered)).toFixed(2)} (goal ≤ 6; ` +
        `the poller's own reads every 3 s included):`,
    );
    for (const [route, n] of purchaseRoutes.sort()) {
      out(`  ${route.padEnd(42)} ${(n / Math.max(1, delivered)).toFixed(2)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 500)); // the last chat lines land
    const state = await ctl.state();
    const spent = buyers.reduce((sum, name) => sum + (100_000 - state.balances[name]), 0);
    const paidInPlaylist = state.playlist.filter((p) => p.queueby !== 'SomeoneElse').length;
    out(
      `money: ${spent} Z net spent by the buyers for ${paidInPlaylist} paid item(s) in the playlist ` +
        `(${delivered} delivered answers)`,
    );
  } finally {
    await app.close();
    await sim.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
