import { Injectable } from '@nestjs/common';
import { DataSource, LessThan, type Repository } from 'typeorm';
import { PromoDecisionEntity } from './entities/promo-decision.entity';

/** The director's decision log (`promo_decisions`, owned by the promos module). */
@Injectable()
export class PromoDecisionsRepository {
  private readonly repo: Repository<PromoDecisionEntity>;

  constructor(dataSource: DataSource) {
    this.repo = dataSource.getRepository(PromoDecisionEntity);
  }

  async insert(row: Omit<PromoDecisionEntity, 'id'>): Promise<number> {
    const result = await this.repo.insert(row);
    return (result.identifiers[0] as { id: number }).id;
  }

  recent(limit: number): Promise<PromoDecisionEntity[]> {
    return this.repo.find({ order: { at: 'DESC', id: 'DESC' }, take: limit });
  }

  async prune(before: Date): Promise<number> {
    const result = await this.repo.delete({ at: LessThan(before) });
    return result.affected ?? 0;
  }
}
