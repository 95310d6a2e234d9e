// Undoes 002: dropping the collection drops its validator and indexes too.
module.exports = {
  async up(db) {
    const existing = await db.listCollections({ name: 'customers' }).toArray();
    if (existing.length > 0) {
      await db.collection('customers').drop();
    }
  },
};
