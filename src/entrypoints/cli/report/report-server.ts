// `shop-pipeline serve`: the report page, live. Read-only and GET-only: the page, /api/kpis and
// /api/status (the bodies `kpis --json` and `status --json` print), /api/report (the page's own
// data), /api/events (server-sent events: a `report` event whenever the home's state changed)
// and the verdict reports under /reports/. node:http is enough for five routes.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { readFile } from 'node:fs/promises';
import { join, normalize, sep } from 'node:path';
import { reportHtml } from './report-html.js';
import { bucketOf } from './report-file.js';
import type { SnapshotSource } from './report-snapshot.js';

export interface ServeOptions {
  readonly home: string;
  readonly host: string;
  readonly port: number;
  /** how often the home's state is checked for changes */
  readonly pollMs?: number;
}

export interface RunningServer {
  readonly url: string;
  close(): Promise<void>;
}

const LOOPBACK_NAMES = /^(localhost|127\.0\.0\.1|\[::1\])(:\d+)?$/;

const send = (res: ServerResponse, status: number, type: string, body: string): void => {
  res.writeHead(status, {
    'content-type': type,
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
  });
  res.end(body);
};

export const startServer = async (
  source: SnapshotSource,
  options: ServeOptions,
): Promise<RunningServer> => {
  const clients = new Set<ServerResponse>();
  let pushed = 0;
  const loopback = ['127.0.0.1', 'localhost', '::1'].includes(options.host);
  const reports = join(bucketOf(options.home), 'reports');

  const route = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (path === '/api/events' && req.method === 'HEAD')
      return send(res, 200, 'text/event-stream', '');
    if (path === '/api/events') {
      res.writeHead(200, {
        'content-type': 'text/event-stream',
        'cache-control': 'no-store',
        connection: 'keep-alive',
      });
      clients.add(res);
      req.on('close', () => clients.delete(res));
      // this client starts from the current data; the others get it on the next tick if new
      const { snapshot } = await source.current();
      res.write(`retry: 2000\n\nevent: report\ndata: ${JSON.stringify(snapshot.data)}\n\n`);
      return;
    }
    if (path.startsWith('/reports/')) {
      let relative: string;
      try {
        relative = decodeURIComponent(path.slice('/reports/'.length));
      } catch {
        return send(res, 404, 'text/plain', 'not found\n');
      }
      const file = normalize(join(reports, relative));
      if (!file.startsWith(reports + sep)) return send(res, 404, 'text/plain', 'not found\n');
      try {
        return send(res, 200, 'application/json', await readFile(file, 'utf8'));
      } catch {
        return send(res, 404, 'text/plain', 'not found\n');
      }
    }
    const { snapshot } = await source.current();
    if (path === '/') {
      const html = reportHtml(snapshot.data, { live: true, reportBase: '/' });
      return send(res, 200, 'text/html; charset=utf-8', html);
    }
    if (path === '/api/kpis') return send(res, 200, 'application/json', `${snapshot.kpisJson}\n`);
    if (path === '/api/status')
      return send(res, 200, 'application/json', `${snapshot.statusJson}\n`);
    if (path === '/api/report')
      return send(res, 200, 'application/json', JSON.stringify(snapshot.data));
    send(res, 404, 'text/plain', 'not found\n');
  };

  const server = createServer((req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('allow', 'GET, HEAD');
      return send(res, 405, 'text/plain', 'read-only: GET only\n');
    }
    // a page on another site must not reach a loopback server through a rebound DNS name
    if (loopback && !LOOPBACK_NAMES.test(req.headers.host ?? ''))
      return send(res, 403, 'text/plain', 'forbidden host\n');
    route(req, res).catch((error: unknown) => {
      if (!res.headersSent) send(res, 500, 'text/plain', `${String(error)}\n`);
      else res.end();
    });
  });

  const poll = setInterval(() => {
    if (clients.size === 0) return;
    source
      .current()
      .then(({ snapshot, version }) => {
        if (version <= pushed) return;
        pushed = version;
        const message = `event: report\ndata: ${JSON.stringify(snapshot.data)}\n\n`;
        for (const c of clients) c.write(message);
      })
      .catch(() => undefined); // a read racing a writer is retried on the next tick
  }, options.pollMs ?? 1000);
  const keepAlive = setInterval(() => {
    for (const c of clients) c.write(': keep-alive\n\n');
  }, 15_000);

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, resolve);
  });
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : options.port;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  return {
    url: `http://${host}:${port}/`,
    close: async () => {
      clearInterval(poll);
      clearInterval(keepAlive);
      for (const c of clients) c.end();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections(); // idle keep-alive sockets would hold close() open
      await closed;
    },
  };
};
