// Undoes 003.
module.exports = {
  async up(db) {
    const existing = await db.listCollections({ name: 'orders' }).toArray();
    if (existing.length > 0) {
      await db.collection('orders').drop();
    }
  },
};
