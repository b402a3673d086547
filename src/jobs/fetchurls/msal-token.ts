import {
  type ICachePlugin,
  type INetworkModule,
  type NetworkRequestOptions,
  type NetworkResponse,
  type PublicClientApplication,
  type TokenCacheContext,
} from '@azure/msal-node';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { request } from 'undici';
import { type FetchUrlsConfig } from '../../config/app-config';

/**
 * Microsoft sign-in for the weekend workbook, with MSAL (public client, device-code flow). The
 * token cache is a file (`fetchurls.token_cache_path`, written 0600); the job only ever asks
 * for a silent token from it, refreshed with the cached refresh token (about 90 days). The
 * one-time interactive sign-in is `npm run fetchurls-auth`.
 */

export const GRAPH_SCOPES = ['https://graph.microsoft.com/Files.ReadWrite.All'];
const MICROSOFT_LOGIN = 'https://login.microsoftonline.com';

function fileCache(path: string): ICachePlugin {
  return {
    beforeCacheAccess: async (ctx: TokenCacheContext) => {
      try {
        ctx.tokenCache.deserialize(await readFile(path, 'utf8'));
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      }
    },
    afterCacheAccess: async (ctx: TokenCacheContext) => {
      if (!ctx.cacheHasChanged) return;
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, ctx.tokenCache.serialize(), { mode: 0o600 });
    },
  };
}

/**
 * MSAL's HTTP, sent to `login_url` instead of login.microsoftonline.com when they differ (a
 * proxy or a stand-in); MSAL itself only accepts https authorities.
 */
export class LoginNetwork implements INetworkModule {
  constructor(private readonly loginUrl: string) {}

  private target(url: string): string {
    const base = this.loginUrl.replace(/\/+$/, '');
    return base !== MICROSOFT_LOGIN && url.startsWith(MICROSOFT_LOGIN)
      ? base + url.slice(MICROSOFT_LOGIN.length)
      : url;
  }

  sendGetRequestAsync<T>(
    url: string,
    options?: NetworkRequestOptions,
    timeout?: number,
  ): Promise<NetworkResponse<T>> {
    return this.send<T>('GET', url, options, timeout);
  }

  sendPostRequestAsync<T>(url: string, options?: NetworkRequestOptions): Promise<NetworkResponse<T>> {
    return this.send<T>('POST', url, options);
  }

  private async send<T>(
    method: 'GET' | 'POST',
    url: string,
    options?: NetworkRequestOptions,
    timeout = 30_000,
  ): Promise<NetworkResponse<T>> {
    const res = await request(this.target(url), {
      method,
      headers: options?.headers,
      body: options?.body,
      signal: AbortSignal.timeout(timeout),
    });
    const text = await res.body.text();
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(res.headers)) {
      if (v !== undefined) headers[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
    }
    let body: unknown;
    try {
      body = text === '' ? {} : JSON.parse(text);
    } catch {
      body = { error: 'invalid_response', error_description: text.slice(0, 200) };
    }
    return { status: res.statusCode, headers, body: body as T };
  }
}

export class SignInRequiredError extends Error {}

export function signInMissing(config: FetchUrlsConfig): string | null {
  if (!config.sharepoint_tenant_id) return 'fetchurls.sharepoint_tenant_id is not set';
  if (!config.sharepoint_client_id) return 'fetchurls.sharepoint_client_id is not set';
  if (!config.token_cache_path) return 'fetchurls.token_cache_path is not set';
  return null;
}

/** MSAL is loaded on first use: only the weekend workbook's SharePoint source needs it. */
export async function msalApp(config: FetchUrlsConfig): Promise<PublicClientApplication> {
  const { PublicClientApplication } = await import('@azure/msal-node');
  return new PublicClientApplication({
    auth: {
      clientId: config.sharepoint_client_id,
      authority: `${MICROSOFT_LOGIN}/${config.sharepoint_tenant_id}`,
    },
    cache: { cachePlugin: fileCache(config.token_cache_path) },
    system: { networkClient: new LoginNetwork(config.login_url) },
  });
}

const SIGN_IN_HINT = 'Run a one-time sign-in on the server: npm run fetchurls-auth';

/** A silent token from the cache (refreshing it when needed), or SignInRequiredError. */
export async function silentToken(app: PublicClientApplication, force = false): Promise<string> {
  const [account] = await app.getTokenCache().getAllAccounts();
  if (!account) {
    throw new SignInRequiredError(`No Microsoft sign-in is cached for the weekend workbook. ${SIGN_IN_HINT}`);
  }
  try {
    const result = await app.acquireTokenSilent({ account, scopes: GRAPH_SCOPES, forceRefresh: force });
    if (!result?.accessToken) throw new Error('no access token');
    return result.accessToken;
  } catch (err) {
    throw new SignInRequiredError(
      `The cached Microsoft sign-in could not be refreshed (${err instanceof Error ? err.message : String(err)}). ${SIGN_IN_HINT}`,
    );
  }
}

/** The device-code flow: `show` gets the message with the URL and the code to enter. */
export async function deviceCodeSignIn(
  app: PublicClientApplication,
  show: (message: string) => void,
): Promise<string> {
  const result = await app.acquireTokenByDeviceCode({
    scopes: GRAPH_SCOPES,
    deviceCodeCallback: (r) => show(r.message),
  });
  if (!result?.account) throw new Error('the sign-in returned no account');
  return result.account.username;
}
