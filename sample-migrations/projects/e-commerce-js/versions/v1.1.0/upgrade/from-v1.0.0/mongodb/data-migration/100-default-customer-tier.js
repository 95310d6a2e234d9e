// Every customer gets the default tier; customers that already have one keep it.
module.exports = {
  async up(db) {
    await db.collection('customers').updateMany({ tier: { $exists: false } }, { $set: { tier: 'standard' } });
  },
};
