// Undoes 001: the database is empty again.
module.exports = {
  async up(db) {
    const existing = await db.listCollections({ name: 'project_metadata' }).toArray();
    if (existing.length > 0) {
      await db.collection('project_metadata').drop();
    }
  },
};
