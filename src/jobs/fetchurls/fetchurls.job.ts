import { Injectable, Logger } from '@nestjs/common';
import type ExcelJS from 'exceljs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { request } from 'undici';
import { CatalogService } from '../../catalog/catalog.service';
import { Clock } from '../../common/clock';
import { Sleeper } from '../../common/sleeper';
import { AppConfig } from '../../config/app-config';
import { GraphClient, type SharedItem } from '../../kryten/graph.client';
import { MediaCmsClient } from '../../kryten/mediacms.client';
import { PlaylistsService } from '../../playlists/playlists.service';
import { FetchJob } from '../fetch/fetch.job';
import { JobError } from '../jobs.exception';
import { type JobContext } from '../jobs.types';
import { ToolLocator } from '../tool-locator';
import { msalApp, SignInRequiredError, silentToken } from './msal-token';
import {
  checkMethod,
  isWeekendSheetName,
  linkKind,
  localDate,
  parseSheet,
  type Section,
  SECTION_PLAYLISTS,
  SECTIONS,
  type SheetRow,
  weekendSheetName,
  type WorkbookEntry,
} from './weekend.rules';

export interface UrlFailure {
  section: Section;
  row: number;
  url: string;
  error: string;
}

export interface FetchUrlsResult {
  sheet: string;
  source: 'param' | 'sharepoint' | 'config';
  resolved: number;
  downloaded: number;
  reused: number;
  kept_unknown: number;
  failures: UrlFailure[];
  writeback: { ok: number; failed: number } | null;
  dry_run: boolean;
  imported_playlists: string[];
  section_summary: Record<string, number>;
  ignored_rows: number;
}

interface Source {
  kind: FetchUrlsResult['source'];
  bytes: Buffer;
  sharepoint: { graph: GraphClient; item: SharedItem } | null;
}

const DRY_RUN_PLACEHOLDER = 'dry-run://would-download?url=';

/**
 * `fetchurls`: this weekend's sheet of the programming workbook → every link resolved to a
 * playable MediaCMS manifest (downloading YouTube/Tubi links through the fetch path) → the three
 * fixed playlists replaced. With SharePoint as the source, each resolved link is written back to
 * column F as it resolves, so the next run can trust it.
 */
@Injectable()
export class FetchUrlsJob {
  private readonly logger = new Logger('Jobs');

  constructor(
    private readonly config: AppConfig,
    private readonly tools: ToolLocator,
    private readonly fetch: FetchJob,
    private readonly mediacms: MediaCmsClient,
    private readonly playlists: PlaylistsService,
    private readonly catalog: CatalogService,
    private readonly sleeper: Sleeper,
    private readonly clock: Clock,
  ) {}

  async run(ctx: JobContext): Promise<FetchUrlsResult> {
    const p = ctx.params;
    const dryRun = p.dry_run === true;
    const validate = p.validate !== false;
    const only = (p.section as string | null) ?? 'all';
    await ctx.progress({ phase: 'reading workbook' });
    const source = await this.source(p.workbook_path);
    try {
      const book = new (await loadExcelJs()).Workbook();
      try {
        await book.xlsx.load(source.bytes as unknown as ArrayBuffer);
      } catch (err) {
        throw new JobError(
          `The workbook could not be read as .xlsx: ${err instanceof Error ? err.message : String(err)}`,
        );
      }
      const timeZone = this.config.fetchurls.timezone;
      try {
        localDate(0, timeZone);
      } catch {
        throw new JobError(`fetchurls.timezone is not a time zone: ${timeZone}`);
      }
      const sheetName = weekendSheetName(localDate(this.clock.nowMs(), timeZone));
      const sheet = book.getWorksheet(sheetName);
      if (!sheet) {
        const weekends = book.worksheets.map((s) => s.name).filter(isWeekendSheetName);
        throw new JobError(
          `This weekend's worksheet '${sheetName}' was not found in the workbook. ` +
            `Available weekend sheets: ${weekends.length > 0 ? weekends.join(', ') : 'none'}`,
        );
      }
      const parsed = parseSheet(readRows(sheet));
      const entries = parsed.entries.filter((e) => only === 'all' || e.section === only);
      const result: FetchUrlsResult = {
        sheet: sheetName,
        source: source.kind,
        resolved: 0,
        downloaded: 0,
        reused: 0,
        kept_unknown: 0,
        failures: [],
        writeback: null,
        dry_run: dryRun,
        imported_playlists: [],
        section_summary: {},
        ignored_rows: parsed.ignored,
      };
      const writer = this.writer(source, sheetName, dryRun || p.writeback === false, result);
      const resolved = new Map<WorkbookEntry, string>();
      try {
        for (const [i, entry] of entries.entries()) {
          ctx.signal.throwIfAborted();
          void ctx.progress({
            phase: 'resolving',
            done: i,
            total: entries.length,
            section: entry.section,
            url: entry.url,
          });
          const outcome = await this.resolve(entry, { dryRun, validate, signal: ctx.signal });
          if ('error' in outcome) {
            result.failures.push({
              section: entry.section,
              row: entry.row,
              url: entry.url,
              error: outcome.error,
            });
            continue;
          }
          resolved.set(entry, outcome.url);
          result.resolved++;
          if (outcome.how === 'downloaded') result.downloaded++;
          if (outcome.how === 'reused') result.reused++;
          if (outcome.how === 'unknown') result.kept_unknown++;
          if (writer && outcome.url !== entry.resolved && !outcome.url.startsWith(DRY_RUN_PLACEHOLDER)) {
            await writer.write(entry.row, outcome.url);
          }
        }
      } finally {
        await writer?.close();
      }
      for (const s of SECTIONS) {
        result.section_summary[s] = [...resolved.keys()].filter((e) => e.section === s).length;
      }
      await this.saveFiles(sheetName, resolved, result.failures);
      if (!dryRun) await this.importPlaylists(ctx, resolved, result);
      return result;
    } finally {
      await source.sharepoint?.graph.close();
    }
  }

  private async source(param: unknown): Promise<Source> {
    const override = typeof param === 'string' ? param.trim() : '';
    const sp = this.config.fetchurls;
    if (override) return { kind: 'param', bytes: await this.readLocal(override), sharepoint: null };
    if (sp.sharepoint_tenant_id && sp.sharepoint_client_id && sp.sharepoint_sharing_url) {
      if (!sp.token_cache_path) {
        throw new JobError(
          'fetchurls needs fetchurls.token_cache_path for SharePoint sign-in. Set it, then run: npm run fetchurls-auth',
        );
      }
      const app = await msalApp(sp);
      const graph = new GraphClient({
        baseUrl: sp.graph_url,
        token: async (force) => {
          try {
            return await silentToken(app, force);
          } catch (err) {
            if (err instanceof SignInRequiredError) throw new JobError(err.message);
            throw err;
          }
        },
        sleep: (ms) => this.sleeper.sleep(ms),
      });
      try {
        const item = await graph.resolveShare(sp.sharepoint_sharing_url);
        return { kind: 'sharepoint', bytes: await graph.download(item), sharepoint: { graph, item } };
      } catch (err) {
        await graph.close();
        if (err instanceof JobError) throw err;
        throw new JobError(
          `The workbook could not be downloaded from SharePoint: ${err instanceof Error ? err.message : String(err)}`,
        );
      }
    }
    const configured = sp.workbook_path.trim();
    if (!configured) {
      throw new JobError(
        'fetchurls needs a workbook source: set fetchurls.workbook_path (or the SharePoint settings) in the config, or pass workbook_path',
      );
    }
    return { kind: 'config', bytes: await this.readLocal(configured), sharepoint: null };
  }

  private async readLocal(path: string): Promise<Buffer> {
    if (!this.tools.fileExists(path)) throw new JobError(`Workbook not found: ${path}`);
    return readFile(path);
  }

  /** Column F writeback through one workbook session (SharePoint only). */
  private writer(
    source: Source,
    sheet: string,
    off: boolean,
    result: FetchUrlsResult,
  ): { write(row: number, url: string): Promise<void>; close(): Promise<void> } | null {
    if (!source.sharepoint || off) return null;
    const { graph, item } = source.sharepoint;
    const stats = { ok: 0, failed: 0 };
    result.writeback = stats;
    let session: string | null = null;
    return {
      write: async (row, url) => {
        try {
          session ??= await graph.createSession(item);
          await graph.writeCell(item, session, sheet, `F${row}`, url);
          stats.ok++;
        } catch (err) {
          stats.failed++;
          this.logger.warn(
            `fetchurls: column F of row ${row} not written: ${err instanceof Error ? err.message : String(err)}`,
          );
        }
      },
      close: async () => {
        if (session) await graph.closeSession(item, session).catch(() => undefined);
      },
    };
  }

  private async resolve(
    entry: WorkbookEntry,
    opts: { dryRun: boolean; validate: boolean; signal: AbortSignal },
  ): Promise<
    | { url: string; how: 'trusted' | 'checked' | 'downloaded' | 'reused' | 'unknown' | 'placeholder' }
    | { error: string }
  > {
    const base = this.config.mediacms_url;
    const hosts = this.config.fetchurls.download_hosts;
    if (entry.resolved && linkKind(entry.resolved, base, hosts) === 'dropsugar') {
      if (!opts.validate) return { url: entry.resolved, how: 'trusted' };
      if (await this.reachable(entry.resolved)) return { url: entry.resolved, how: 'checked' };
      // stale (deleted upstream): process column E again
    }
    const kind = linkKind(entry.url, base, hosts);
    if (kind === 'dropsugar') {
      if (opts.validate && !(await this.reachable(entry.url))) {
        return { error: 'the MediaCMS link does not answer (deleted or private?)' };
      }
      return { url: entry.url, how: 'checked' };
    }
    if (kind === 'unknown') {
      this.logger.warn(
        `fetchurls: row ${entry.row}: ${entry.url} is not a site we download from; kept as it is`,
      );
      return { url: entry.url, how: 'unknown' };
    }
    if (opts.dryRun) {
      return { url: `${DRY_RUN_PLACEHOLDER}${encodeURIComponent(entry.url)}`, how: 'placeholder' };
    }
    try {
      const video = await this.fetch.fetchOne(entry.url, null, entry.url, 'medium', opts.signal);
      return { url: this.mediacms.manifestUrl(video.token), how: video.duplicate ? 'reused' : 'downloaded' };
    } catch (err) {
      if (opts.signal.aborted) throw err;
      return { error: err instanceof Error ? err.message : String(err) };
    }
  }

  private async reachable(url: string): Promise<boolean> {
    try {
      const res = await request(url, { method: checkMethod(url), signal: AbortSignal.timeout(15_000) });
      await res.body.dump();
      return res.statusCode < 400;
    } catch {
      return false;
    }
  }

  /** Text playlists and the failures list, for the operator to read or re-import by hand. */
  private async saveFiles(
    sheet: string,
    resolved: Map<WorkbookEntry, string>,
    failures: UrlFailure[],
  ): Promise<void> {
    const dir = join(dirname(this.config.image_dir), 'fetchurls-playlists');
    try {
      await mkdir(dir, { recursive: true });
      for (const s of SECTIONS) {
        const lines = [...resolved]
          .filter(([e]) => e.section === s)
          .map(([e, url]) => `# ${e.label}\n${url}`);
        if (lines.length > 0) await writeFile(join(dir, `${sheet}-${s}.txt`), `${lines.join('\n')}\n`);
      }
      const text = failures.map((f) => `${f.section}\trow ${f.row}\t${f.url}\t${f.error}`).join('\n');
      await writeFile(join(dir, `${sheet}-failures.txt`), text === '' ? '' : `${text}\n`);
    } catch (err) {
      this.logger.warn(
        `fetchurls: playlist files not written under ${dir}: ${err instanceof Error ? err.message : String(err)}`,
      );
    }
  }

  private async importPlaylists(
    ctx: JobContext,
    resolved: Map<WorkbookEntry, string>,
    result: FetchUrlsResult,
  ): Promise<void> {
    if (resolved.size === 0) return;
    await ctx.progress({ phase: 'importing', done: resolved.size, total: resolved.size });
    // fresh uploads must be in the local catalog before the text importer can place them
    if (result.downloaded > 0) await this.catalog.runSync(`job:fetchurls`);
    const creator = ctx.triggeredBy.startsWith('admin:') ? ctx.triggeredBy.slice('admin:'.length) : 'system';
    for (const section of SECTIONS) {
      const rows = [...resolved].filter(([e]) => e.section === section);
      if (rows.length === 0) continue;
      const parsed = await this.playlists.parseText(rows.map(([, url]) => url).join('\n'));
      for (const err of parsed.errors) {
        const [entry] = rows[err.line - 1] ?? [];
        result.failures.push({
          section,
          row: entry?.row ?? 0,
          url: rows[err.line - 1]?.[1] ?? err.token,
          error: `not imported into ${SECTION_PLAYLISTS[section]}: ${err.reason.replace(/_/g, ' ')}`,
        });
      }
      if (parsed.items.length === 0) continue;
      await this.playlists.replaceByName(SECTION_PLAYLISTS[section], creator, parsed.items);
      result.imported_playlists.push(SECTION_PLAYLISTS[section]);
    }
  }
}

/**
 * exceljs is loaded on the job's first run, not at start-up: with the archive libraries under
 * it, it is about 8 MB of heap that a channel without the weekend workbook never uses.
 */
async function loadExcelJs(): Promise<typeof ExcelJS> {
  return (await import('exceljs')).default;
}

function cellText(cell: ExcelJS.Cell): string {
  const v = cell.value as unknown;
  if (v && typeof v === 'object' && 'hyperlink' in v && typeof v.hyperlink === 'string') {
    return (v as { hyperlink: string }).hyperlink;
  }
  return (cell.text ?? '').toString();
}

function readRows(sheet: ExcelJS.Worksheet): SheetRow[] {
  const rows: SheetRow[] = [];
  sheet.eachRow({ includeEmpty: false }, (row, n) => {
    rows.push({
      row: n,
      a: cellText(row.getCell(1)),
      e: cellText(row.getCell(5)),
      f: cellText(row.getCell(6)),
    });
  });
  return rows;
}
