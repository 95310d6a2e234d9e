// Every category gets a URL slug derived from its id; categories that already have one keep it.
module.exports = {
  async up(db) {
    const categories = await db.collection('categories').find({ slug: { $exists: false } }).toArray();
    for (const category of categories) {
      await db.collection('categories').updateOne({ _id: category._id }, { $set: { slug: `/c/${category._id}` } });
    }
  },

  async down(db) {
    await db.collection('categories').updateMany({}, { $unset: { slug: '' } });
  },
};
