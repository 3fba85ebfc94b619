import { Module } from '@nestjs/common';

/** HTTP feature for @app/redaction: placeholder until the redaction issue lands. */
@Module({})
export class RedactionHttpModule {}
