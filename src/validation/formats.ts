import { isDateTimeOffset } from './date-time';

/** The formats the kit's schemas use, as ajv takes them: the generated validators require this module by name. */
export const DATE_TIME_FORMATS = {
  // RFC 3339 with .NET DateTimeOffset's limits (±14:00, years 1 to 9999): src/validation/date-time.ts.
  'date-time': { type: 'string' as const, validate: isDateTimeOffset },
};
