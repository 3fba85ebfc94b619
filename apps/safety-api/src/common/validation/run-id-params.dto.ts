import { RUN_ID_PATTERN, RUN_ID_RULE } from '@app/budget';
import { Matches } from 'class-validator';

/**
 * A run id in the path. Every route that takes one validates it the same way: 400 VALIDATION_FAILED
 * with the pointer `/run_id` (a run id becomes a Redis key, so nothing else can name a run).
 */
export class RunIdParamsDto {
  /**
   * The run: 1-128 letters, digits, `.`, `_`, `:`, `-`.
   * @example "run-123"
   */
  @Matches(RUN_ID_PATTERN, { message: RUN_ID_RULE })
  run_id: string;
}
