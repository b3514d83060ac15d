import type { ValueTransformer } from 'typeorm';

/** `numeric` arrives from `pg` as a string; the API and the code want a number. */
export const numericToNumber: ValueTransformer = {
  to: (value: number | null | undefined) => value,
  from: (value: string | null) => (value === null ? null : Number(value)),
};
