// Customers, with a $jsonSchema validator and a unique index on email.
const customerSchema = {
  bsonType: 'object',
  required: ['email', 'full_name'],
  properties: {
    email: { bsonType: 'string', pattern: '^[^@]+@[^@]+$' },
    full_name: { bsonType: 'string' },
    tier: { enum: ['standard', 'gold'] },
  },
};

module.exports = {
  async up(db) {
    const existing = await db.listCollections({ name: 'customers' }).toArray();
    if (existing.length === 0) {
      await db.createCollection('customers', { validator: { $jsonSchema: customerSchema }, validationLevel: 'strict' });
    }
    await db.collection('customers').createIndex({ email: 1 }, { name: 'idx_customers_email', unique: true });
  },

  async down(db) {
    await db.collection('customers').drop();
  },
};
