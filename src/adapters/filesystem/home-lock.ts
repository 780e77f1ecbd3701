// One writer per home: a lock file created with O_EXCL holds the writer's pid, host and start
// time. A second writer waits (bounded) for it to go away; a lock whose pid is dead on this host
// is stale (a killed process) and is taken over. Readers never take it.
import { randomUUID } from 'node:crypto';
import {
  closeSync,
  linkSync,
  openSync,
  readFileSync,
  renameSync,
  statSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export const HOME_LOCK_FILE = 'writer.lock';

export interface LockHolder {
  readonly pid: number;
  readonly host: string;
  readonly startedAt: string;
  readonly command: string;
  /** tells this holder's lock from a later one with a reused pid */
  readonly token: string;
}

export class HomeLockHeld extends Error {
  constructor(
    readonly home: string,
    readonly holder: LockHolder | null,
    waitedMs: number,
  ) {
    const who =
      holder === null
        ? 'another process (the lock file is unreadable)'
        : `pid ${holder.pid} on ${holder.host} (\`${holder.command}\`, since ${holder.startedAt})`;
    super(
      `${home} is in use by ${who}; waited ${Math.round(waitedMs / 1000)} s. ` +
        `Run again when it is done, or raise --lock-wait. If that process is gone, delete ` +
        `${join(home, HOME_LOCK_FILE)}.`,
    );
    this.name = 'HomeLockHeld';
  }
}

export interface HomeLock {
  readonly holder: LockHolder;
  release(): void;
}

const readHolder = (path: string): LockHolder | null => {
  try {
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as Partial<LockHolder>;
    return typeof parsed.pid === 'number' && typeof parsed.host === 'string'
      ? (parsed as LockHolder)
      : null;
  } catch {
    return null;
  }
};

const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/** dead pid on this host, or a file left empty by a writer killed between create and write */
const isStale = (path: string, holder: LockHolder | null): boolean => {
  if (holder !== null) return holder.host === hostname() && !isAlive(holder.pid);
  try {
    return Date.now() - statSync(path).mtimeMs > 10_000;
  } catch {
    return false;
  }
};

const tryCreate = (path: string, holder: LockHolder): boolean => {
  let fd: number;
  try {
    fd = openSync(path, 'wx');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
  try {
    writeSync(fd, JSON.stringify(holder));
  } finally {
    closeSync(fd);
  }
  return true;
};

/** Moves a stale lock aside; only one of several waiters wins the rename. */
const takeOver = (path: string, stale: LockHolder | null): void => {
  const aside = `${path}.stale-${randomUUID()}`;
  try {
    renameSync(path, aside);
  } catch {
    return; // another waiter moved it first
  }
  // between our read and the rename another waiter may have replaced it with a live lock:
  // put that one back
  const moved = readHolder(aside);
  if (moved !== null && moved.token !== stale?.token) {
    try {
      linkSync(aside, path);
    } catch {
      /* a third writer holds it now; the moved holder's release finds nothing to remove */
    }
  }
  unlinkSync(aside);
};

export const acquireHomeLock = async (
  home: string,
  options: { readonly waitMs: number; readonly command: string; readonly pollMs?: number },
): Promise<HomeLock> => {
  const path = join(home, HOME_LOCK_FILE);
  const holder: LockHolder = {
    pid: process.pid,
    host: hostname(),
    startedAt: new Date().toISOString(),
    command: options.command,
    token: randomUUID(),
  };
  const started = Date.now();
  for (;;) {
    if (tryCreate(path, holder)) break;
    const current = readHolder(path);
    if (isStale(path, current)) {
      takeOver(path, current);
      continue;
    }
    const waited = Date.now() - started;
    if (waited >= options.waitMs) throw new HomeLockHeld(home, current, waited);
    await sleep(Math.min(options.pollMs ?? 250, options.waitMs - waited));
  }
  return {
    holder,
    release: () => {
      // only our own lock: a stale-lock takeover may have replaced it already
      if (readHolder(path)?.token !== holder.token) return;
      try {
        unlinkSync(path);
      } catch {
        /* already gone */
      }
    },
  };
};
