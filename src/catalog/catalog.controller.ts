import { Controller, Get, Param, Query, Req, Res } from '@nestjs/common';
import { ApiProduces } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { CurrentUser, ViewerOnly } from '../auth/auth.decorators';
import type { SessionUser } from '../auth/session-token';
import { ADMIN_RANK } from '../auth/session.guard';
import { wantsHtml } from '../common/http/request-kind';
import { catalogLink, HIDE_TAG, normaliseSort } from './catalog.rules';
import { type CategoryFacet } from './catalog.repository';
import { CatalogService, type ListQuery } from './catalog.service';
import { CatalogViews } from './catalog.view';
import { isBlankQuery } from './search/search-query';
import { BrowseQueryDto, SearchQueryDto } from './dto/catalog-query.dto';

/**
 * The catalog pages and JSON API. The same paths serve HTML to a
 * browser (Accept: text/html) and JSON to fetch calls.
 */
@Controller('catalog')
@ViewerOnly()
export class CatalogController {
  constructor(
    private readonly catalog: CatalogService,
    private readonly views: CatalogViews,
  ) {}

  @ApiProduces('application/json', 'text/html')
  @Get('browse')
  async browse(
    @Query() dto: BrowseQueryDto,
    @CurrentUser() user: SessionUser,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const query = this.listQuery(dto, normaliseSort(dto.sort), user);
    const [result, facets] = await Promise.all([
      this.catalog.browse(query),
      this.catalog.facets(query.showHidden),
    ]);
    if (!wantsHtml(req)) {
      res.json({ ...result, categories: facets.categories, tags: facets.tags });
      return;
    }
    res.render(
      'catalog/browse',
      await this.views.listPage(await this.pageInput('browse', '', query, result, facets, user)),
    );
  }

  @ApiProduces('application/json', 'text/html')
  @Get('search')
  async search(
    @Query() dto: SearchQueryDto,
    @CurrentUser() user: SessionUser,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const query = this.listQuery(dto, dto.sort ?? 'default', user);
    if (wantsHtml(req) && isBlankQuery(dto.q)) {
      res.redirect(
        302,
        catalogLink('/catalog/browse', { category: query.category, tag: query.tag, sort: query.sort }),
      );
      return;
    }
    const result = await this.catalog.search(dto.q, query);
    if (!wantsHtml(req)) {
      res.json({ ...result, category: query.category ?? null, tag: query.tag ?? null });
      return;
    }
    const facets = await this.catalog.facets(query.showHidden);
    res.render(
      'catalog/browse',
      await this.views.listPage(await this.pageInput('search', result.query, query, result, facets, user)),
    );
  }

  @Get('categories')
  categories(): Promise<CategoryFacet[]> {
    return this.catalog.categories();
  }

  @ApiProduces('application/json', 'text/html')
  @Get('item/:token')
  async item(
    @Param('token') token: string,
    @CurrentUser() user: SessionUser,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const isAdmin = user.rank >= ADMIN_RANK;
    const item = await this.catalog.getVisibleItem(token, isAdmin, 'Item not found');
    const facets = await this.catalog.facetsOf(item.friendly_token);
    if (!wantsHtml(req)) {
      res.json({ ...item, categories: facets.categories, tags: facets.tags });
      return;
    }
    res.render(
      'catalog/item',
      await this.views.itemPage(item, facets, isAdmin, facets.tags.includes(HIDE_TAG)),
    );
  }

  private listQuery(
    dto: BrowseQueryDto | SearchQueryDto,
    sort: ListQuery['sort'],
    user: SessionUser,
  ): ListQuery {
    return {
      category: dto.category || null,
      tag: dto.tag || null,
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
      isAdmin,
      showHidden: query.showHidden,
      hiddenTokens: isAdmin
        ? await this.catalog.hiddenByAdmin(result.items.map((i) => i.friendly_token))
        : new Set(),
    };
  }
}
