import { Test } from '@nestjs/testing';
import { ConfigModule } from '@app/config/config.module';
import { ApiGateClient } from '@app/kryten/api-gate.client';
import { KrytenModule } from '@app/kryten/kryten.module';
import { MediaCmsClient } from '@app/kryten/mediacms.client';
import { type RunningSimulator, startSimulator } from '@sim/server';
import { testConfig } from '@test/support/config';

let sim: RunningSimulator;

beforeAll(async () => {
  sim = await startSimulator({ port: 0, seed: 2, catalogSize: 10 });
});

afterAll(async () => {
  await sim.close();
});

describe('KrytenModule', () => {
  it('builds both clients from AppConfig (api-gate trailing slash trimmed, MediaCMS /api/v1 stripped)', async () => {
    const config = testConfig({ api_gate_url: `${sim.url}/`, mediacms_url: `${sim.url}/api/v1` });
    const moduleRef = await Test.createTestingModule({
      imports: [ConfigModule.forRoot(config), KrytenModule],
    }).compile();
    const gate = moduleRef.get(ApiGateClient);
    const cms = moduleRef.get(MediaCmsClient);
    expect(gate.baseUrl).toBe(`${sim.url}/api/v1`);
    expect(cms.manifestUrl('AbC123xyZ')).toBe(`${sim.url}/api/v1/media/cytube/AbC123xyZ.json?format=json`);
    expect(await gate.getPlaylist()).toEqual([]);
    expect((await cms.listManageMedia()).count).toBe(10);
    await moduleRef.close();
  });
});
