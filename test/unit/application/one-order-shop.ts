// The smallest shop whose landing forms a group: one product, one order of 2025-03-01, one item;
// and the fact a concurrent transform of the same date lands (a returned order of another user).
// Shared by the tests that race a second writer against the transform.
import type { Container } from 'inversify';
import type { LandFile } from '../../../src/application/land-file.use-case.js';
import type { Fact } from '../../../src/domain/kpi/kpi.types.js';
import { pipelineAppOf } from '../../../src/entrypoints/composition/pipeline-app.js';
import { TOKENS } from '../../../src/entrypoints/composition/tokens.js';
import { OBJECT_STORE, type ObjectStore } from '../../../src/ports/object-store.port.js';

export const SHOP_DATE = '2025-03-01';

/** another order's fact of SHOP_DATE, returned, 10.00 */
export const otherOrderFact: Fact = {
  itemId: 'x1',
  orderId: 'other',
  userId: 'u9',
  orderStatus: 'returned',
  orderCreatedAt: Date.UTC(2025, 2, 1, 12),
  productId: 'p1',
  category: 'Toys',
  salePriceCents: 1000,
};

/** lands the shop's three files through the container's LandFile and runs its group's workflow */
export const ingestOneOrderShop = async (container: Container): Promise<void> => {
  const objects = container.get<ObjectStore>(OBJECT_STORE);
  const land = container.get<LandFile>(TOKENS.LandFile);
  const put = async (key: string, text: string) => {
    await objects.put(key, text);
    await land.execute(key);
  };
  await put(
    'incoming/products/p.csv',
    'id,sku,cost,category,name,brand,retail_price,department\np1,S,1.00,Toys,Ball,Acme,2.00,Kids',
  );
  await put(
    'incoming/orders/o.csv',
    'order_id,user_id,status,created_at,returned_at,shipped_at,delivered_at,num_of_item\n1,u1,delivered,2025-03-01T08:00:00,,,,1',
  );
  await put(
    'incoming/order_items/i.csv',
    'id,order_id,user_id,product_id,status,created_at,shipped_at,delivered_at,returned_at,sale_price\ni1,1,u1,p1,delivered,,,,,3.50',
  );
  await pipelineAppOf(container, [], async () => {}).processUntilIdle();
};
