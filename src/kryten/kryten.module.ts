import { Global, Module, type OnApplicationShutdown } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { ApiGateClient } from './api-gate.client';
import { MediaCmsClient } from './mediacms.client';

/**
 * The outside services: kryten-api-gate (CyTube, chat, economy) and MediaCMS. The clients are
 * plain classes built from AppConfig; inject them by class anywhere.
 */
@Global()
@Module({
  providers: [
    {
      provide: ApiGateClient,
      inject: [AppConfig],
      useFactory: (config: AppConfig) =>
        new ApiGateClient({ baseUrl: config.api_gate_url, token: config.api_gate_token }),
    },
    {
      provide: MediaCmsClient,
      inject: [AppConfig],
      useFactory: (config: AppConfig) =>
        new MediaCmsClient({ baseUrl: config.mediacms_url, token: config.mediacms_token }),
    },
  ],
  exports: [ApiGateClient, MediaCmsClient],
})
export class KrytenModule implements OnApplicationShutdown {
  constructor(
    private readonly apiGate: ApiGateClient,
    private readonly mediacms: MediaCmsClient,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    await Promise.all([this.apiGate.close(), this.mediacms.close()]);
  }
}
