// Orders with a unique order number.
module.exports = {
  async up(db) {
    const existing = await db.listCollections({ name: 'orders' }).toArray();
    if (existing.length === 0) {
      await db.createCollection('orders');
    }
    const orders = db.collection('orders');
    await orders.createIndex({ order_number: 1 }, { name: 'idx_orders_order_number', unique: true });
    await orders.createIndex({ status: 1 }, { name: 'idx_orders_status' });
    await orders.createIndex({ placed_at: -1 }, { name: 'idx_orders_placed_at' });
  },

  async down(db) {
    await db.collection('orders').drop();
  },
};
