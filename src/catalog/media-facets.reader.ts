import { type MediaCmsFacetsPage } from '../kryten/mediacms.client';

/** Items per `media_facets` page: 200 answers for a 100k catalog instead of 100k detail calls. */
export const FACETS_PAGE_SIZE = 500;

export interface ItemFacets {
  readonly categories: string[];
  readonly tags: string[];
}

export type FacetsPageFetcher = (page: number, pageSize: number) => Promise<MediaCmsFacetsPage>;

/**
 * One sync run's category and tag names from the deployment-only bulk list, read only as far
 * as the listed items need. The bulk list need not follow the list's order, so what a page brings
 * beyond the items asked for is held until the list reaches them and dropped once handed out.
 * A held item is its token and one short string of name numbers (a catalog has few distinct
 * names), about 80 bytes, rather than two arrays of fresh strings, about 200: 8 MB at 100k items.
 *
 * Whatever it cannot answer goes back to the caller for the per-item detail call: items the bulk
 * list never names (added since it was read, or a malformed entry), items written since it was
 * read (`forget`), and everything after a page that failed, which stops the reading for the run.
 */
export class MediaFacetsReader {
  /** Token → its names encoded by `encode`. */
  private readonly held = new Map<string, string>();
  private readonly names: string[] = [];
  private readonly numbers = new Map<string, number>();
  private readonly forgotten = new Set<string>();
  private nextPage = 1;
  private exhausted = false;
  private failure: unknown = null;
  /** Bulk pages read so far. */
  pagesRead = 0;

  constructor(
    private readonly fetchPage: FacetsPageFetcher,
    private readonly pageSize = FACETS_PAGE_SIZE,
  ) {}

  /** Why the reading stopped early (the fetch's error), or null. */
  get failedWith(): unknown {
    return this.failure;
  }

  /** Items read but not handed out yet. */
  get heldCount(): number {
    return this.held.size;
  }

  /**
   * The facets of those tokens the bulk list names, reading further pages while some are
   * missing. Each item is handed out once; the tokens left out need a detail call.
   */
  async take(tokens: readonly string[]): Promise<Map<string, ItemFacets>> {
    const found = new Map<string, ItemFacets>();
    let missing = this.collect(tokens, found);
    while (missing.length > 0 && !this.exhausted) {
      await this.readPage();
      missing = this.collect(missing, found);
    }
    return found;
  }

  /** The item was written upstream during the run: what was read of it may be stale. */
  forget(token: string): void {
    this.held.delete(token);
    this.forgotten.add(token);
  }

  private collect(tokens: readonly string[], found: Map<string, ItemFacets>): string[] {
    const missing: string[] = [];
    for (const token of tokens) {
      if (this.forgotten.has(token)) continue;
      const encoded = this.held.get(token);
      if (encoded !== undefined) {
        found.set(token, this.decode(encoded));
        this.held.delete(token);
      } else {
        missing.push(token);
      }
    }
    return missing;
  }

  private async readPage(): Promise<void> {
    let page: MediaCmsFacetsPage;
    try {
      page = await this.fetchPage(this.nextPage, this.pageSize);
    } catch (err) {
      this.failure = err;
      this.exhausted = true;
      return;
    }
    this.pagesRead++;
    this.nextPage++;
    for (const entry of page.results) {
      if (!this.forgotten.has(entry.friendly_token)) {
        const encoded = this.encode(entry.categories, entry.tags);
        if (encoded !== null) this.held.set(entry.friendly_token, encoded);
      }
    }
    if (!page.has_next || page.results.length === 0) this.exhausted = true;
  }

  /**
   * One UTF-16 unit per name number, categories then a separator then tags; null once the run
   * has met more names than units (that item goes to the detail call).
   */
  private encode(categories: readonly string[], tags: readonly string[]): string | null {
    const units: number[] = [];
    for (const name of categories) units.push(this.numberOf(name));
    units.push(SEPARATOR);
    for (const name of tags) units.push(this.numberOf(name));
    return units.includes(NO_NUMBER) ? null : String.fromCharCode(...units);
  }

  private decode(encoded: string): ItemFacets {
    const categories: string[] = [];
    const tags: string[] = [];
    let into = categories;
    for (let i = 0; i < encoded.length; i++) {
      const unit = encoded.charCodeAt(i);
      if (unit === SEPARATOR) into = tags;
      else into.push(this.names[unit]);
    }
    return { categories, tags };
  }

  private numberOf(name: string): number {
    let n = this.numbers.get(name);
    if (n === undefined) {
      if (this.names.length >= SEPARATOR) return NO_NUMBER;
      n = this.names.length;
      this.names.push(name);
      this.numbers.set(name, n);
    }
    return n;
  }
}

/** Above every name number, so a run can number 65,535 distinct category and tag names. */
const SEPARATOR = 0xffff;
const NO_NUMBER = -1;
