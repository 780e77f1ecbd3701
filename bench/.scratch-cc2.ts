import Database from 'better-sqlite3';
import { fingerprint } from '../src/domain/fingerprint.js';
const d = new Database('/tmp/prof-perf-land/cc.db');
d.exec('CREATE TEMP TABLE t_touched (order_id TEXT PRIMARY KEY) WITHOUT ROWID; INSERT INTO t_touched SELECT order_id FROM ri_orders');
const q = d.prepare(`SELECT o.order_id, o.hash, o.created_at, o.source, o.last_completed,
  (SELECT json_array(json_group_array(i.hash ORDER BY i.item_id), json_group_array(i.source ORDER BY i.item_id)) FROM ri_items i WHERE i.order_id = o.order_id),
  (SELECT json_array(json_group_array(p.hash ORDER BY p.product_id), json_group_array(p.source ORDER BY p.product_id)) FROM ri_products p WHERE p.product_id IN (SELECT i.product_id FROM ri_items i WHERE i.order_id = o.order_id))
  FROM t_touched t JOIN ri_orders o ON o.order_id = t.order_id AND o.is_complete = 1`).raw();
const src = { key: 'k', stagedKey: 's' };
const at = (s: number, h: string) => ({ key: src.key, stagedKey: src.stagedKey, hash: h });
for (let k = 0; k < 2; k++) {
  const t = process.cpuUsage();
  const out: unknown[] = [];
  let qt = 0;
  for (const [orderId, orderHash, createdAt, orderSource, last, items, products] of q.iterate() as Iterable<[string,string,number,number,string|null,string,string]>) {
    const [ih, is] = JSON.parse(items) as [string[], number[]];
    const [ph, ps] = JSON.parse(products) as [string[], number[]];
    const fp = fingerprint([orderHash, ...[...ih].sort()]);
    if (fp === last) continue;
    out.push({ previous: last, completion: { orderId, fingerprint: fp, createdAt, order: at(orderSource, orderHash), items: ih.map((h, j) => at(is[j] as number, h)), products: ph.map((h, j) => at(ps[j] as number, h)) } });
  }
  const u = process.cpuUsage(t);
  const m = process.memoryUsage();
  console.log(out.length, (u.user + u.system) / 1e6, 'heap', m.heapUsed >> 20);
}
const q2 = d.prepare(`SELECT o.order_id, (SELECT json_array(json_group_array(i.hash ORDER BY i.item_id), json_group_array(i.source ORDER BY i.item_id)) FROM ri_items i WHERE i.order_id = o.order_id) FROM t_touched t JOIN ri_orders o ON o.order_id = t.order_id AND o.is_complete = 1`).raw();
let t = process.cpuUsage(); for (const r of q2.iterate()) {} let u = process.cpuUsage(t); console.log('items-only query', (u.user+u.system)/1e6);
t = process.cpuUsage(); let n=0; for (const r of d.prepare('SELECT o.order_id, o.hash FROM t_touched t JOIN ri_orders o ON o.order_id = t.order_id').raw().iterate()) {n++} u = process.cpuUsage(t); console.log('orders only', n, (u.user+u.system)/1e6);
