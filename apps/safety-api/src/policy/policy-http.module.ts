import { Module } from '@nestjs/common';

/** HTTP feature for @app/policy: placeholder until the policy issue lands. */
@Module({})
export class PolicyHttpModule {}
