import {
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
  SetMetadata,
} from '@nestjs/common';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { SchedulerRegistry } from '@nestjs/schedule';
import { Leadership } from '../cluster/leadership';
import { AppConfig } from '../config/app-config';

const CONFIG_INTERVAL = 'wq:config-interval';

interface ConfigIntervalSpec {
  name: string;
  /** The period from the validated config; 0 or less = not scheduled (the feature is off). */
  periodMs: (config: AppConfig) => number;
  /** Run in every instance, not only in the leader (work about this instance's own sockets). */
  everyInstance: boolean;
}

/**
 * `@Interval` for the periodic work of the channel: put it on a one-line method that calls
 * `tick()`. The period may come from the config file. Registered (in @nestjs/schedule's
 * SchedulerRegistry, under `name`) by ConfigIntervalScheduler, which only runs when the app
 * schedules at all (never in tests that call `tick()` by hand). With several instances only the
 * leader's timers do anything, unless `everyInstance`.
 */
export const ConfigInterval = (
  name: string,
  periodMs: (config: AppConfig) => number,
  options: { everyInstance?: boolean } = {},
): MethodDecorator =>
  SetMetadata(CONFIG_INTERVAL, {
    name,
    periodMs,
    everyInstance: options.everyInstance ?? false,
  } satisfies ConfigIntervalSpec);

/** Finds every `@ConfigInterval` method once the app has started and gives it its timer. */
@Injectable()
export class ConfigIntervalScheduler implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('ConfigInterval');
  private readonly names: string[] = [];

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
    private readonly registry: SchedulerRegistry,
    private readonly config: AppConfig,
    private readonly leadership: Leadership,
  ) {}

  onApplicationBootstrap(): void {
    for (const wrapper of this.discovery.getProviders()) {
      const instance = wrapper.instance as Record<string, unknown> | null | undefined;
      if (!instance || typeof instance !== 'object' || !wrapper.isDependencyTreeStatic()) continue;
      const prototype = Object.getPrototypeOf(instance) as object | null;
      if (!prototype) continue;
      for (const method of this.scanner.getAllMethodNames(prototype)) {
        const handler = instance[method];
        if (typeof handler !== 'function') continue;
        const spec = this.reflector.get<ConfigIntervalSpec | undefined>(CONFIG_INTERVAL, handler);
        if (spec) this.register(spec, () => (handler as () => unknown).call(instance));
      }
    }
  }

  onModuleDestroy(): void {
    for (const name of this.names) {
      if (this.registry.doesExist('interval', name)) this.registry.deleteInterval(name);
    }
  }

  private register(spec: ConfigIntervalSpec, run: () => unknown): void {
    const ms = spec.periodMs(this.config);
    if (!(ms > 0)) return;
    const handle = setInterval(() => {
      if (!spec.everyInstance && !this.leadership.isLeader()) return;
      Promise.resolve()
        .then(run)
        .catch((err: unknown) => this.logger.error(`${spec.name} failed: ${String(err)}`));
    }, ms);
    this.registry.addInterval(spec.name, handle);
    this.names.push(spec.name);
  }
}
