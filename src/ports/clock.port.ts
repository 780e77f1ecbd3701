export interface Clock {
  /** epoch milliseconds */
  now(): number;
}
export const CLOCK = Symbol.for('Clock');
