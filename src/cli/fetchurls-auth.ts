import { ConfigError, loadConfigFile, resolveConfigPath } from '../config/config.loader';
import { deviceCodeSignIn, msalApp, signInMissing, silentToken } from '../jobs/fetchurls/msal-token';

/**
 * `npm run fetchurls-auth [-- --config PATH]`: the one-time Microsoft sign-in the weekend
 * workbook job needs. Uses a cached sign-in when it still works, otherwise the device-code flow
 * (open the URL, enter the code). Exit 0 signed in, 1 the sign-in failed, 2 not configured.
 */
export async function fetchurlsAuth(
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
  out: (line: string) => void,
): Promise<number> {
  let fetchurls;
  try {
    fetchurls = loadConfigFile(resolveConfigPath(argv, env), env).config.fetchurls;
  } catch (err) {
    out(`✗ ${err instanceof ConfigError ? err.message : String(err)}`);
    return 2;
  }
  const missing = signInMissing(fetchurls);
  if (missing) {
    out(
      `✗ ${missing}: set fetchurls.sharepoint_tenant_id, fetchurls.sharepoint_client_id and fetchurls.token_cache_path`,
    );
    return 2;
  }
  const app = await msalApp(fetchurls);
  try {
    await silentToken(app);
    out(`✓ Authenticated: the cached sign-in in ${fetchurls.token_cache_path} still works.`);
    return 0;
  } catch {
    // no usable cached sign-in: ask the operator
  }
  try {
    const who = await deviceCodeSignIn(app, out);
    out(
      `✓ Authenticated as ${who}. The sign-in is cached in ${fetchurls.token_cache_path} (it lasts about 90 days).`,
    );
    return 0;
  } catch (err) {
    out(`✗ Sign-in failed: ${err instanceof Error ? err.message : String(err)}`);
    return 1;
  }
}

if (require.main === module) {
  void fetchurlsAuth(process.argv.slice(2), process.env, (line) => process.stdout.write(`${line}\n`)).then(
    (code) => {
      process.exitCode = code;
    },
  );
}
