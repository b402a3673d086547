import { Controller, Get, Query, Res } from '@nestjs/common';
import { ApiExcludeEndpoint } from '@nestjs/swagger';
import type { Response } from 'express';
import { ViewerOnly } from '../auth/auth.decorators';
import { CatalogService } from '../catalog/catalog.service';
import { CatalogViews } from '../catalog/catalog.view';
import { BrowseQueryDto } from '../catalog/dto/catalog-query.dto';
import { HomeService } from './home.service';

/** The catalog's home page of rows, and the grid behind its "Not played in a while" row. */
@Controller('catalog')
@ViewerOnly()
export class HomeController {
  constructor(
    private readonly home: HomeService,
    private readonly catalog: CatalogService,
    private readonly views: CatalogViews,
  ) {}

  @ApiExcludeEndpoint()
  @Get()
  async page(@Res() res: Response): Promise<void> {
    const hero = this.home.hero();
    const rows = await this.home.rows();
    res.render('catalog/home', {
      title: 'Home',
      scripts: ['catalog.js', 'receipt.js', 'tiles.js'],
      bodyClass: 'catalog-page home-page',
      hero,
      rows,
    });
  }

  @ApiExcludeEndpoint()
  @Get('not-played')
  async notPlayed(@Query() dto: BrowseQueryDto, @Res() res: Response): Promise<void> {
    const query = await this.home.notPlayedQuery(dto.page ?? 1);
    const [result, facets] = await Promise.all([this.catalog.browse(query), this.catalog.facets(false)]);
    res.render(
      'catalog/browse',
      await this.views.listPage({
        mode: 'browse',
        result,
        facets,
        q: '',
        category: null,
        tag: null,
        isAdmin: false,
        showHidden: false,
        hiddenTokens: new Set(),
        path: '/catalog/not-played',
        heading: 'Not played in a while',
      }),
    );
  }
}
