import { buildMessage, ValidateBy, type ValidationOptions } from 'class-validator';

/**
 * An integer JSON number within ±(2^53 − 1). Larger integers have already lost precision
 * in `JSON.parse`, so the number held is not the one sent: such ids would collide.
 */
export function IsSafeInteger(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isSafeInteger',
      validator: {
        validate: (value: unknown) => Number.isSafeInteger(value),
        defaultMessage: buildMessage(
          (each, args) =>
            Number.isInteger(args?.value)
              ? `${each}$property is too large to be held exactly (at most 2^53 − 1)`
              : `${each}$property must be an integer`,
          options,
        ),
      },
    },
    options,
  );
}
