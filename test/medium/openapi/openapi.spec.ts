import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { generateMetadataSource } from '../../../src/openapi/metadata-generator';
import { openApiJson } from '../../../src/openapi/openapi-document';
import { createTestApp, type TestApp } from '../../support/app';

const root = join(__dirname, '..', '..', '..');
const STALE = 'is stale: run `npm run openapi` and commit the result';

/** The API description is generated from the code; these fail when the committed files lag. */
describe('OpenAPI', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it(`src/openapi/metadata.ts matches the sources (else it ${STALE})`, () => {
    const committed = readFileSync(join(root, 'src', 'openapi', 'metadata.ts'), 'utf8');
    expect(generateMetadataSource(root) === committed ? 'fresh' : `metadata.ts ${STALE}`).toBe('fresh');
  });

  it(`docs/openapi.json matches the running app (else it ${STALE})`, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wq-openapi-test-'));
    try {
      const committed: unknown = JSON.parse(readFileSync(join(root, 'docs', 'openapi.json'), 'utf8'));
      expect(JSON.parse(await openApiJson(dir))).toEqual(committed);
      const served = await request(t.app.getHttpServer()).get('/api/docs/openapi.json').expect(200);
      expect(served.body).toEqual(committed);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('describes the JSON routes with their bodies and leaves the HTML pages out', async () => {
    const doc = (await request(t.app.getHttpServer()).get('/api/docs/openapi.json').expect(200)).body as {
      paths: Record<string, Record<string, { requestBody?: unknown; security?: unknown }>>;
      components: { schemas: Record<string, { properties?: Record<string, unknown>; required?: string[] }> };
    };
    expect(doc.paths['/queue/add'].post.requestBody).toBeDefined();
    expect(doc.components.schemas.PayAddDto.properties).toHaveProperty('friendly_token');
    expect(doc.components.schemas.LinkDeviceDto.required).toEqual(['code']);
    expect(doc.paths['/api/public/v1/queue']).toBeDefined();
    for (const page of [
      '/',
      '/admin',
      '/queue',
      '/user/dashboard',
      '/auth/login',
      '/admin/economy/ledger/page',
    ]) {
      expect(doc.paths[page]?.get).toBeUndefined();
    }
    const ui = await request(t.app.getHttpServer()).get('/api/docs').redirects(1).expect(200);
    expect(ui.headers['content-type']).toMatch(/text\/html/);
    expect(ui.text).toContain('swagger');
  });
});
