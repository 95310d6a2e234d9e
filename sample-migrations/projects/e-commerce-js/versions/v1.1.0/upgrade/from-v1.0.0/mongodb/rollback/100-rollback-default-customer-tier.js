// Undoes 100: v1.0.0 has no tiers, so every tier the upgrade set is removed.
module.exports = {
  async up(db) {
    await db.collection('customers').updateMany({ tier: 'standard' }, { $unset: { tier: '' } });
  },
};
