/**
 * The stack's own floor for the HTTP bench: NestJS on Express with one controller and nothing
 * else (no middleware, guards, pipes or views), answering a prepared body of the browse page's
 * size. Run as its own process on the app's core: `node bare-nest.js <port> <body bytes>`.
 */
import 'reflect-metadata';
import { Controller, Get, Module, Res } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { Response } from 'express';

const [port, bytes] = process.argv.slice(2).map(Number);
const body = Buffer.alloc(bytes, 'x');

@Controller()
class PageController {
  @Get('page')
  page(@Res() res: Response): void {
    res.setHeader('Content-Type', 'text/html; charset=utf-8');
    res.send(body);
  }
}

@Module({ controllers: [PageController] })
class BareModule {}

async function main(): Promise<void> {
  const app = await NestFactory.create<NestExpressApplication>(BareModule, { logger: ['error'] });
  app.set('etag', false);
  await app.listen(port, '127.0.0.1');
}

void main();
