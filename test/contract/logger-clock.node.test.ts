import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/adapters/in-memory/manual-clock.js';
import { JsonLinesLogger } from '../../src/adapters/node/json-lines-logger.js';
import { SystemClock } from '../../src/adapters/node/system-clock.js';

describe('JsonLinesLogger', () => {
  const capture = (level?: 'debug' | 'warn') => {
    const lines: string[] = [];
    const logger = new JsonLinesLogger({
      level,
      service: 'shop-pipeline',
      write: (l) => void lines.push(l),
      now: () => 0,
    });
    return { logger, lines };
  };

  it('writes one JSON object per line with time, level, service, message and fields', () => {
    const { logger, lines } = capture();
    logger.info('file landed', { fileKey: 'incoming/a.csv', rows: 3 });
    expect(lines).toEqual([
      '{"time":"1970-01-01T00:00:00.000Z","level":"info","service":"shop-pipeline","message":"file landed","fileKey":"incoming/a.csv","rows":3}\n',
    ]);
  });

  it('drops levels below the threshold and keeps an error readable', () => {
    const { logger, lines } = capture('warn');
    logger.debug('d');
    logger.info('i');
    logger.warn('w');
    logger.error('e', { error: new TypeError('bad') });
    expect(lines.map((l) => (JSON.parse(l) as { level: string }).level)).toEqual(['warn', 'error']);
    expect(JSON.parse(lines[1] ?? '{}')).toMatchObject({
      error: { name: 'TypeError', message: 'bad' },
    });
  });
});

describe('clocks', () => {
  it('the manual clock moves only when told', () => {
    const clock = new ManualClock(1000);
    expect(clock.now()).toBe(1000);
    clock.advance(500);
    expect(clock.now()).toBe(1500);
    clock.set(7);
    expect(clock.now()).toBe(7);
  });

  it('the system clock reads the wall clock', () => {
    const before = Date.now();
    const now = new SystemClock().now();
    expect(now).toBeGreaterThanOrEqual(before);
    expect(now).toBeLessThanOrEqual(Date.now());
  });
});
