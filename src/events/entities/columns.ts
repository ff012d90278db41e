import type { ValueTransformer } from 'typeorm';

/** PostgreSQL returns bigint as a string; epoch milliseconds fit a JS number safely. */
export const epochMillis: ValueTransformer = {
  to: (value?: number | null) => value,
  from: (value?: string | number | null) => (value === null || value === undefined ? value : Number(value)),
};
