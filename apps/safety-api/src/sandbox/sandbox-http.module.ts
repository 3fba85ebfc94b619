import { Module } from '@nestjs/common';

/** HTTP feature for @app/sandbox: placeholder until the sandbox issue lands. */
@Module({})
export class SandboxHttpModule {}
