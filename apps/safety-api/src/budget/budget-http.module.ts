import { Module } from '@nestjs/common';

/** HTTP feature for @app/budget: placeholder until the budget issue lands. */
@Module({})
export class BudgetHttpModule {}
