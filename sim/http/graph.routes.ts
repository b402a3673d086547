import ExcelJS from 'exceljs';
import { Router, type Request, type Response } from 'express';
import { type World } from '../world/world';

/**
 * Microsoft Graph v1.0 under `/graph/v1.0` (shares → driveItem, `/content` answered with a 302
 * to a pre-authenticated download URL like the real one, workbook sessions and range PATCHes)
 * and Entra ID under `/login/{tenant}` (OpenID metadata, device-code flow, refresh-token grant).
 */

function b64url(text: string): string {
  return Buffer.from(text).toString('base64').replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');
}

function graphError(res: Response, status: number, code: string, message: string): void {
  res.status(status).json({ error: { code, message, innerError: { date: new Date().toISOString() } } });
}

export function graphRouter(world: () => World): Router {
  const r = Router();
  const g = () => world().graph;

  const bearer = (req: Request, res: Response): boolean => {
    const m = /^Bearer (.+)$/.exec(req.get('authorization') ?? '');
    if (!m || !g().tokenValid(m[1])) {
      graphError(res, 401, 'InvalidAuthenticationToken', 'Access token has expired or is not yet valid.');
      return false;
    }
    return true;
  };

  r.get('/graph/v1.0/shares/:shareId/driveItem', (req, res) => {
    if (!bearer(req, res)) return;
    const wb = g().byShareId(String(req.params.shareId));
    if (!wb) {
      return graphError(
        res,
        404,
        'itemNotFound',
        'The sharing link no longer exists, or you do not have permission to access it.',
      );
    }
    res.json({
      id: wb.itemId,
      name: wb.name,
      size: wb.bytes.length,
      file: { mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' },
      parentReference: { driveId: wb.driveId, driveType: 'business' },
    });
  });

  r.get('/graph/v1.0/drives/:driveId/items/:itemId/content', (req, res) => {
    if (!bearer(req, res)) return;
    const wb = g().byItem(String(req.params.driveId), String(req.params.itemId));
    if (!wb) return graphError(res, 404, 'itemNotFound', 'The resource could not be found.');
    res.redirect(302, `/graph-download/${wb.driveId}/${wb.itemId}?tempauth=sim`);
  });

  // the pre-authenticated download URL: no Authorization header needed (or wanted)
  r.get('/graph-download/:driveId/:itemId', (req, res) => {
    const wb = g().byItem(String(req.params.driveId), String(req.params.itemId));
    if (!wb || req.query.tempauth !== 'sim') return void res.status(404).send('Not found');
    res.status(200).type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet').send(wb.bytes);
  });

  r.post('/graph/v1.0/drives/:driveId/items/:itemId/workbook/createSession', (req, res) => {
    if (!bearer(req, res)) return;
    const wb = g().byItem(String(req.params.driveId), String(req.params.itemId));
    if (!wb) return graphError(res, 404, 'itemNotFound', 'The resource could not be found.');
    const id = `session-${g().sessions.size + 1}`;
    g().sessions.set(id, { itemId: wb.itemId, closed: false });
    res
      .status(201)
      .json({ id, persistChanges: (req.body as { persistChanges?: boolean })?.persistChanges !== false });
  });

  r.post('/graph/v1.0/drives/:driveId/items/:itemId/workbook/closeSession', (req, res) => {
    if (!bearer(req, res)) return;
    const s = g().sessions.get(req.get('workbook-session-id') ?? '');
    if (s) s.closed = true;
    res.status(204).end();
  });

  // PATCH .../workbook/worksheets/{name}/range(address='F5')
  r.patch(
    /^\/graph\/v1\.0\/drives\/([^/]+)\/items\/([^/]+)\/workbook\/worksheets\/([^/]+)\/range\(address='([A-Z]+\d+)'\)$/,
    async (req, res) => {
      if (!bearer(req, res)) return;
      const [driveId, itemId, rawSheet, address] = [1, 2, 3, 4].map((i) =>
        decodeURIComponent((req.params as Record<string, string>)[i - 1] ?? ''),
      );
      const wb = g().byItem(driveId, itemId);
      if (!wb) return graphError(res, 404, 'itemNotFound', 'The resource could not be found.');
      const sessionId = req.get('workbook-session-id') ?? '';
      const session = g().sessions.get(sessionId);
      if (!session || session.closed) {
        return graphError(res, 404, 'InvalidSessionReCreatable', 'The target session is invalid.');
      }
      const values = (req.body as { values?: unknown })?.values;
      if (!Array.isArray(values) || !Array.isArray(values[0])) {
        return graphError(
          res,
          400,
          'InvalidArgument',
          'The argument is invalid or missing or has an incorrect format.',
        );
      }
      const sheetName = rawSheet.replace(/^'|'$/g, '');
      const book = new ExcelJS.Workbook();
      await book.xlsx.load(wb.bytes as unknown as ArrayBuffer);
      const sheet = book.getWorksheet(sheetName);
      if (!sheet) return graphError(res, 404, 'ItemNotFound', "The requested resource doesn't exist.");
      sheet.getCell(address).value = values[0][0] as ExcelJS.CellValue;
      wb.bytes = Buffer.from(await book.xlsx.writeBuffer());
      g().writes.push({
        itemId,
        sheet: sheetName,
        address,
        values: values as unknown[][],
        sessionId,
        at: new Date().toISOString(),
      });
      res.json({ address: `${sheetName}!${address}`, values });
    },
  );

  const base = (req: Request, tenant: string): string => `https://login.microsoftonline.com/${tenant}`;

  r.get('/login/:tenant/v2.0/.well-known/openid-configuration', (req, res) => {
    const t = String(req.params.tenant);
    res.json({
      token_endpoint: `${base(req, t)}/oauth2/v2.0/token`,
      token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
      jwks_uri: `${base(req, t)}/discovery/v2.0/keys`,
      response_modes_supported: ['query', 'fragment', 'form_post'],
      subject_types_supported: ['pairwise'],
      id_token_signing_alg_values_supported: ['RS256'],
      response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
      scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
      issuer: `https://login.microsoftonline.com/${t}/v2.0`,
      request_uri_parameter_supported: false,
      authorization_endpoint: `${base(req, t)}/oauth2/v2.0/authorize`,
      device_authorization_endpoint: `${base(req, t)}/oauth2/v2.0/devicecode`,
      end_session_endpoint: `${base(req, t)}/oauth2/v2.0/logout`,
      tenant_region_scope: 'EU',
      cloud_instance_name: 'microsoftonline.com',
    });
  });

  r.post('/login/:tenant/oauth2/v2.0/devicecode', (req, res) => {
    const body = req.body as Record<string, string>;
    if (!body.client_id) {
      return void res.status(400).json({
        error: 'invalid_request',
        error_description:
          "AADSTS900144: The request body must contain the following parameter: 'client_id'.",
      });
    }
    const code = g().startDeviceCode(body.client_id, String(req.params.tenant));
    res.json({
      user_code: code.userCode,
      device_code: code.deviceCode,
      verification_uri: 'https://microsoft.com/devicelogin',
      expires_in: 900,
      interval: 1,
      message: `To sign in, use a web browser to open the page https://microsoft.com/devicelogin and enter the code ${code.userCode} to authenticate.`,
    });
  });

  r.post('/login/:tenant/oauth2/v2.0/token', (req, res) => {
    const body = req.body as Record<string, string>;
    const tenant = String(req.params.tenant);
    const fail = (error: string, description: string): void => {
      res.status(400).json({
        error,
        error_description: description,
        error_codes: [70016],
        timestamp: new Date().toISOString(),
      });
    };
    if (
      body.grant_type === 'urn:ietf:params:oauth:grant-type:device_code' ||
      body.grant_type === 'device_code'
    ) {
      const state = g().pollDeviceCode(body.device_code ?? '');
      if (state === 'pending') {
        return fail(
          'authorization_pending',
          'AADSTS70016: OAuth 2.0 device flow error. Authorization is pending. Continue polling.',
        );
      }
      if (state === 'expired') {
        return fail(
          'expired_token',
          "AADSTS70020: The provided value for the input parameter 'device_code' is not valid. This device code has expired.",
        );
      }
    } else if (body.grant_type === 'refresh_token') {
      if (!g().useRefreshToken(body.refresh_token ?? '')) {
        return fail('invalid_grant', "AADSTS70000: The provided value for the 'refresh_token' is not valid.");
      }
    } else {
      return fail('unsupported_grant_type', 'AADSTS70003: The app requested an unsupported grant type.');
    }
    const { access, refresh } = g().issueTokens();
    const oid = '00000000-0000-0000-0000-0000000000aa';
    const tid = tenant;
    const nowSec = Math.floor(Date.now() / 1000);
    const idToken = [
      b64url(JSON.stringify({ alg: 'RS256', typ: 'JWT', kid: 'sim' })),
      b64url(
        JSON.stringify({
          aud: body.client_id,
          iss: `https://login.microsoftonline.com/${tid}/v2.0`,
          iat: nowSec,
          nbf: nowSec,
          exp: nowSec + 3600,
          name: 'Channel Operator',
          oid,
          preferred_username: 'operator@channel-z.example',
          sub: 'sim-subject',
          tid,
          ver: '2.0',
        }),
      ),
      'c2lnbmF0dXJl',
    ].join('.');
    res.json({
      token_type: 'Bearer',
      scope: 'https://graph.microsoft.com/Files.ReadWrite.All',
      expires_in: 3600,
      ext_expires_in: 3600,
      access_token: access,
      refresh_token: refresh,
      id_token: idToken,
      client_info: b64url(JSON.stringify({ uid: oid, utid: tid })),
    });
  });

  return r;
}
