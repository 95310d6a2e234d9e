// Categories, seeded with the three the shop opened with, and an index for products by category.
const seed = [
  { _id: 'books', title: 'Books' },
  { _id: 'games', title: 'Games' },
  { _id: 'music', title: 'Music' },
];

module.exports = {
  async up(db) {
    const existing = await db.listCollections({ name: 'categories' }).toArray();
    if (existing.length === 0) {
      await db.createCollection('categories');
    }
    // Upserts by _id: running this twice inserts nothing new.
    await db.collection('categories').bulkWrite(
      seed.map(category => ({ replaceOne: { filter: { _id: category._id }, replacement: category, upsert: true } })),
    );
    await db.collection('products').createIndex({ category: 1 }, { name: 'idx_products_category' });
  },

  async down(db) {
    await db.collection('products').dropIndex('idx_products_category');
    await db.collection('categories').drop();
  },
};
