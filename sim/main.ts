import { startSimulator, type SimulatorOptions } from './server';

/**
 * `node dist/sim/main.js --port 24444 --seed 7 --clock real --catalog-size 2000`
 * Other flags: --host, --api-token, --mediacms-token, --start-time ISO, --command-delay-ms N.
 */

export function parseArgs(argv: string[]): SimulatorOptions {
  const opts: SimulatorOptions = { port: 24444, clock: 'real' };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = argv[i + 1];
    const need = (): string => {
      if (value === undefined) throw new Error(`${flag} needs a value`);
      i++;
      return value;
    };
    const num = (): number => {
      const n = Number(need());
      if (!Number.isFinite(n)) throw new Error(`${flag} needs a number`);
      return n;
    };
    switch (flag) {
      case '--port':
        opts.port = num();
        break;
      case '--host':
        opts.host = need();
        break;
      case '--seed':
        opts.seed = num();
        break;
      case '--clock': {
        const mode = need();
        if (mode !== 'manual' && mode !== 'real') throw new Error('--clock is manual or real');
        opts.clock = mode;
        break;
      }
      case '--catalog-size':
        opts.catalogSize = num();
        break;
      case '--api-token':
        opts.apiToken = need();
        break;
      case '--mediacms-token':
        opts.mediacmsToken = need();
        break;
      case '--start-time':
        opts.startTime = need();
        break;
      case '--command-delay-ms':
        opts.commandDelayMs = num();
        break;
      default:
        throw new Error(`unknown flag ${flag}`);
    }
  }
  return opts;
}

async function main(): Promise<void> {
  const opts = parseArgs(process.argv.slice(2));
  const sim = await startSimulator(opts);
  console.log(
    `[sim] listening on ${sim.url} (seed ${sim.world.options.seed}, clock ${opts.clock ?? 'manual'}, ` +
      `catalog ${sim.world.mediacms.size}, api token "${sim.apiToken}", mediacms token "${sim.mediacmsToken}")`,
  );
  const stop = (): void => {
    void sim.close().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

if (require.main === module) {
  main().catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
