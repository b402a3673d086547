import { hostname } from 'node:os';
import type { AppConfig } from '../config/app-config';

/** This process among its peers: a name for logs, the leader row and the bus (default host:pid). */
export class InstanceIdentity {
  readonly name: string;

  constructor(config: AppConfig) {
    this.name = config.instance_name !== '' ? config.instance_name : `${hostname()}:${process.pid}`;
  }
}
