// Undoes 001.
module.exports = {
  async up(db) {
    await db.collection('orders').drop();
  },
};
