// Records which release of the schema this database holds; every later migration checks it before it runs.
// $setOnInsert leaves an existing record alone, so running this twice changes nothing.
module.exports = {
  async up(db) {
    const existing = await db.listCollections({ name: 'project_metadata' }).toArray();
    if (existing.length === 0) {
      await db.createCollection('project_metadata');
    }
    await db.collection('project_metadata').updateOne(
      { _id: 'e-commerce-js' },
      { $setOnInsert: { project_name: 'e-commerce-js', project_version: 'v1.1.0', updated_at: new Date() } },
      { upsert: true },
    );
  },

  async down(db) {
    await db.collection('project_metadata').drop();
  },
};
