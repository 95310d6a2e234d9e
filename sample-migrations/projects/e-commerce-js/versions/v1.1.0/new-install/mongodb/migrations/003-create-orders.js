// Orders: a $jsonSchema validator, a unique index on order_number and an index for a customer's orders.
const orderSchema = {
  bsonType: 'object',
  required: ['customer_id', 'order_number', 'status', 'total_amount'],
  properties: {
    customer_id: { bsonType: ['objectId', 'int', 'long'] },
    order_number: { bsonType: 'string' },
    status: { bsonType: 'string', enum: ['pending', 'confirmed', 'shipped', 'delivered'] },
    total_amount: { bsonType: ['decimal', 'double', 'int'] },
  },
};

async function createOrders(db, session) {
  await db.createCollection('orders', { validator: { $jsonSchema: orderSchema }, validationLevel: 'strict', session });
  const orders = db.collection('orders');
  await orders.createIndex({ order_number: 1 }, { name: 'idx_orders_order_number', unique: true, session });
  await orders.createIndex({ customer_id: 1 }, { name: 'idx_orders_customer_id', session });
  await orders.createIndex({ status: 1 }, { name: 'idx_orders_status', session });
}

module.exports = {
  createOrders,

  async up(db) {
    const existing = await db.listCollections({ name: 'orders' }).toArray();
    if (existing.length === 0) {
      await createOrders(db);
    }
  },

  async down(db) {
    await db.collection('orders').drop();
  },
};
