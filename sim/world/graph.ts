/**
 * Microsoft Graph and Entra ID (login) stand-in state: workbooks shared by URL (as SharePoint
 * sharing links), the range writes made through workbook sessions, and the device-code and
 * refresh-token grants a public client uses. Tokens are opaque strings this store hands out.
 */

export interface SharedWorkbook {
  driveId: string;
  itemId: string;
  name: string;
  sharingUrl: string;
  bytes: Buffer;
}

export interface RangeWrite {
  itemId: string;
  sheet: string;
  address: string;
  values: unknown[][];
  sessionId: string;
  at: string;
}

interface DeviceCode {
  deviceCode: string;
  userCode: string;
  clientId: string;
  tenant: string;
  polls: number;
  approved: boolean;
}

export class GraphWorkbooks {
  readonly workbooks: SharedWorkbook[] = [];
  readonly writes: RangeWrite[] = [];
  readonly sessions = new Map<string, { itemId: string; closed: boolean }>();
  private readonly accessTokens = new Map<string, number>();
  private readonly refreshTokens = new Set<string>();
  private readonly deviceCodes = new Map<string, DeviceCode>();
  private counter = 0;
  /** Device codes are approved by the "user" after this many polls (0 = on the first). */
  approveAfterPolls = 1;

  constructor(private readonly now: () => number) {}

  /** Share a workbook; its Graph share id is `u!` + base64url(sharingUrl). */
  share(sharingUrl: string, name: string, bytes: Buffer): SharedWorkbook {
    const n = ++this.counter;
    const wb = { driveId: `b!drive${n}`, itemId: `01ITEM${n}`, name, sharingUrl, bytes };
    this.workbooks.push(wb);
    return wb;
  }

  byShareId(shareId: string): SharedWorkbook | undefined {
    if (!shareId.startsWith('u!')) return undefined;
    const url = Buffer.from(shareId.slice(2).replace(/-/g, '+').replace(/_/g, '/'), 'base64').toString(
      'utf8',
    );
    return this.workbooks.find((w) => w.sharingUrl === url);
  }

  byItem(driveId: string, itemId: string): SharedWorkbook | undefined {
    return this.workbooks.find((w) => w.driveId === driveId && w.itemId === itemId);
  }

  tokenValid(token: string): boolean {
    const exp = this.accessTokens.get(token);
    return exp !== undefined && exp > Date.now();
  }

  /** Expire every access token now (a test of the refresh path). */
  expireAccessTokens(): void {
    for (const key of this.accessTokens.keys()) this.accessTokens.set(key, 0);
  }

  startDeviceCode(clientId: string, tenant: string): DeviceCode {
    const n = ++this.counter;
    const code: DeviceCode = {
      deviceCode: `devcode-${n}-${this.now()}`,
      userCode: `SIM${String(n).padStart(5, '0')}`,
      clientId,
      tenant,
      polls: 0,
      approved: false,
    };
    this.deviceCodes.set(code.deviceCode, code);
    return code;
  }

  /** One poll of the token endpoint with a device code. */
  pollDeviceCode(deviceCode: string): 'pending' | 'ok' | 'expired' {
    const code = this.deviceCodes.get(deviceCode);
    if (!code) return 'expired';
    if (code.polls++ >= this.approveAfterPolls) code.approved = true;
    if (!code.approved) return 'pending';
    this.deviceCodes.delete(deviceCode);
    return 'ok';
  }

  useRefreshToken(token: string): boolean {
    return this.refreshTokens.has(token);
  }

  issueTokens(): { access: string; refresh: string } {
    const n = ++this.counter;
    const access = `graph-access-${n}`;
    const refresh = `graph-refresh-${n}`;
    this.accessTokens.set(access, Date.now() + 3_600_000);
    this.refreshTokens.add(refresh);
    return { access, refresh };
  }
}
