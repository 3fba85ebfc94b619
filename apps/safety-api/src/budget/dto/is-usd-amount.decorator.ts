import { isUsdAmount } from '@app/budget';
import { ValidateBy, ValidationOptions } from 'class-validator';

/**
 * A JSON number of USD: finite, > 0, at most 6 decimal places (a 7th is
 * refused, never rounded). Strings are refused even when they look numeric.
 */
export function IsUsdAmount(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isUsdAmount',
      validator: {
        validate: (value: unknown) => typeof value === 'number' && isUsdAmount(value),
        defaultMessage: (args) =>
          `${args?.property} must be a number of USD greater than 0 with at most 6 decimal places`,
      },
    },
    options,
  );
}
