// Undoes 010: drops orders and puts the version record back exactly as it was before the upgrade (the upgrade
// touched only project_version and added previous_version and upgraded_at).
module.exports = {
  async up(db) {
    const existing = await db.listCollections({ name: 'orders' }).toArray();
    if (existing.length > 0) {
      await db.collection('orders').drop();
    }
    const meta = await db.collection('project_metadata').findOne({ _id: 'e-commerce-js' });
    if (meta?.previous_version) {
      await db.collection('project_metadata').updateOne(
        { _id: 'e-commerce-js' },
        {
          $set: { project_version: meta.previous_version },
          $unset: { previous_version: '', upgraded_at: '' },
        },
      );
    }
  },
};
