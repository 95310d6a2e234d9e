// v1.0.0 -> v1.1.0: the orders collection, in one transaction with the version record.
// On a server without transactions (a standalone mongod, nx-27017) Rehearse runs the callback and reports that it
// was not atomic. Safe to run twice: a database already at v1.1.0 is left as it is.
const { createOrders } = require('../../../../new-install/mongodb/migrations/003-create-orders.js');

module.exports = {
  async up(db, client) {
    const session = client.startSession();
    try {
      await session.withTransaction(async () => {
        const meta = await db.collection('project_metadata').findOne({ _id: 'e-commerce-js' }, { session });
        if (meta?.project_version === 'v1.1.0') {
          return;
        }
        if (!['v1.0.0'].includes(meta?.project_version)) {
          throw new Error(`Cannot upgrade from ${meta?.project_version} to v1.1.0`);
        }

        await createOrders(db, session);

        await db.collection('project_metadata').updateOne(
          { _id: 'e-commerce-js' },
          { $set: { project_version: 'v1.1.0', previous_version: meta.project_version, upgraded_at: new Date() } },
          { session },
        );
      });
    } finally {
      await session.endSession();
    }
  },
};
