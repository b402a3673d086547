import { Controller, Get, Next, Param, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeEndpoint } from '@nestjs/swagger';
import type { NextFunction, Request, Response } from 'express';
import { CurrentUser, ViewerOnly } from '../auth/auth.decorators';
import type { SessionUser } from '../auth/session-token';
import { ADMIN_RANK } from '../auth/session.guard';
import { RenderedBodies } from '../common/http/rendered-bodies';
import { wantsHtml } from '../common/http/request-kind';
import { catalogLink, HIDE_TAG, normaliseSort } from './catalog.rules';
import { type CategoryFacet } from './catalog.repository';
import { CatalogService, type Facets, type ListQuery, type ListResult } from './catalog.service';
import { type CatalogItemEntity } from './entities/catalog-item.entity';
import { CatalogViews } from './catalog.view';
import { isBlankQuery } from './search/search-query';
import { BrowseQueryDto, SearchQueryDto } from './dto/catalog-query.dto';

/**
 * The catalog pages and JSON API. The same paths serve HTML to a browser (Accept: text/html) and
 * JSON to fetch calls: the page handler comes first and passes anything else on (`next()`) to
 * the JSON handler registered after it, so each has its own typed answer.
 */
type BrowseResponse = ListResult & Pick<Facets, 'categories' | 'tags'>;
type SearchResponse = ListResult & { query: string; category: string | null; tag: string | null };
type ItemResponse = CatalogItemEntity & Awaited<ReturnType<CatalogService['facetsOf']>>;

@Controller('catalog')
@ViewerOnly()
export class CatalogController {
  constructor(
    private readonly catalog: CatalogService,
    private readonly views: CatalogViews,
    private readonly bodies: RenderedBodies,
  ) {}

  /** The browse page for a browser; a fetch call falls through to the JSON handler below. */
  @Get('browse')
  @ApiExcludeEndpoint()
  async browsePage(
    @Query() dto: BrowseQueryDto,
    @CurrentUser() user: SessionUser,
    @Req() req: Request,
    @Res() res: Response,
    @Next() next: NextFunction,
  ): Promise<void> {
    if (!wantsHtml(req)) return next();
    const query = this.listQuery(dto, normaliseSort(dto.sort), user);
    // Everything the body shows follows from the catalog's content key, the query and the rank.
    const content = this.catalog.contentKey();
    const key = JSON.stringify(['browse', content, query, user.rank >= ADMIN_RANK]);
    const body = await this.bodies.get(
      res,
      key,
      'catalog/browse',
      async () => {
        const [result, facets] = await Promise.all([
          this.catalog.browse(query),
          this.catalog.facets(query.showHidden),
        ]);
        return this.views.listPage(await this.pageInput('browse', '', query, result, facets, user));
      },
      content,
    );
    await this.bodies.send(req, res, body);
  }

  /** One page of the catalog with the facets. */
  @Get('browse')
  async browse(@Query() dto: BrowseQueryDto, @CurrentUser() user: SessionUser): Promise<BrowseResponse> {
    const query = this.listQuery(dto, normaliseSort(dto.sort), user);
    const [result, facets] = await Promise.all([
      this.catalog.browse(query),
      this.catalog.facets(query.showHidden),
    ]);
    return { ...result, categories: facets.categories, tags: facets.tags };
  }

  /** The search page; a blank query goes back to browse. Fetch calls fall through to JSON. */
  @Get('search')
  @ApiExcludeEndpoint()
  async searchPage(
    @Query() dto: SearchQueryDto,
    @CurrentUser() user: SessionUser,
    @Req() req: Request,
    @Res() res: Response,
    @Next() next: NextFunction,
  ): Promise<void> {
    if (!wantsHtml(req)) return next();
    const query = this.listQuery(dto, dto.sort ?? 'default', user);
    if (isBlankQuery(dto.q)) {
      res.redirect(
        302,
        catalogLink('/catalog/browse', { category: query.category, tag: query.tag, sort: query.sort }),
      );
      return;
    }
    const q = (dto.q ?? '').trim();
    const content = this.catalog.contentKey();
    const key = JSON.stringify(['search', content, q, query, user.rank >= ADMIN_RANK]);
    const body = await this.bodies.get(
      res,
      key,
      'catalog/browse',
      async () => {
        const result = await this.catalog.search(q, query);
        const facets = await this.catalog.facets(query.showHidden);
        return this.views.listPage(await this.pageInput('search', result.query, query, result, facets, user));
      },
      content,
    );
    await this.bodies.send(req, res, body);
  }

  /** Search results (400 "Query required" for a blank query). */
  @Get('search')
  async search(@Query() dto: SearchQueryDto, @CurrentUser() user: SessionUser): Promise<SearchResponse> {
    const query = this.listQuery(dto, dto.sort ?? 'default', user);
    const result = await this.catalog.search(dto.q, query);
    return { ...result, category: query.category ?? null, tag: query.tag ?? null };
  }

  @Get('categories')
  categories(): Promise<CategoryFacet[]> {
    return this.catalog.categories();
  }

  /** The item page; fetch calls fall through to the JSON handler. */
  @Get('item/:token')
  @ApiExcludeEndpoint()
  async itemPage(
    @Param('token') token: string,
    @CurrentUser() user: SessionUser,
    @Req() req: Request,
    @Res() res: Response,
    @Next() next: NextFunction,
  ): Promise<void> {
    if (!wantsHtml(req)) return next();
    const isAdmin = user.rank >= ADMIN_RANK;
    const item = await this.catalog.getVisibleItem(token, isAdmin, 'Item not found');
    const facets = await this.catalog.facetsOf(item.friendly_token);
    res.render(
      'catalog/item',
      await this.views.itemPage(item, facets, isAdmin, facets.tags.includes(HIDE_TAG)),
    );
  }

  /** One item with its categories and tags. */
  @Get('item/:token')
  async item(@Param('token') token: string, @CurrentUser() user: SessionUser): Promise<ItemResponse> {
    const item = await this.catalog.getVisibleItem(token, user.rank >= ADMIN_RANK, 'Item not found');
    const facets = await this.catalog.facetsOf(item.friendly_token);
    return { ...item, categories: facets.categories, tags: facets.tags };
  }

  private listQuery(
    dto: BrowseQueryDto | SearchQueryDto,
    sort: ListQuery['sort'],
    user: SessionUser,
  ): ListQuery {
    return {
      category: dto.category || null,
      tag: dto.tag || null,
      length: dto.length ?? null,
      page: dto.page ?? 1,
      sort,
      showHidden: Boolean(dto.show_hidden) && user.rank >= ADMIN_RANK,
    };
  }

  private async pageInput(
    mode: 'browse' | 'search',
    q: string,
    query: ListQuery,
    result: Awaited<ReturnType<CatalogService['browse']>>,
    facets: Awaited<ReturnType<CatalogService['facets']>>,
    user: SessionUser,
  ): Promise<Parameters<CatalogViews['listPage']>[0]> {
    const isAdmin = user.rank >= ADMIN_RANK;
    return {
      mode,
      q,
      result,
      facets,
      category: query.category ?? null,
      tag: query.tag ?? null,
      length: query.length ?? null,
      isAdmin,
      showHidden: query.showHidden,
      hiddenTokens: isAdmin
        ? await this.catalog.hiddenByAdmin(result.items.map((i) => i.friendly_token))
        : new Set(),
    };
  }
}
