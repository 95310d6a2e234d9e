// Products, validated, with a unique SKU.
module.exports = {
  async up(db) {
    const existing = await db.listCollections({ name: 'products' }).toArray();
    if (existing.length === 0) {
      await db.createCollection('products', {
        validator: {
          $jsonSchema: {
            bsonType: 'object',
            required: ['sku', 'name', 'price'],
            properties: { sku: { bsonType: 'string' }, name: { bsonType: 'string' }, price: { bsonType: ['double', 'int', 'decimal'] } },
          },
        },
      });
    }
    await db.collection('products').createIndex({ sku: 1 }, { name: 'idx_products_sku', unique: true });
  },

  async down(db) {
    await db.collection('products').drop();
  },
};
