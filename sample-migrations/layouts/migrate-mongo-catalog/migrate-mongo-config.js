// migrate-mongo's configuration for the catalog service. Rehearse reads migrationsDir and
// changelogCollectionName from here without running the file, and rehearses on its own scratch database:
// the connection settings below are used by migrate-mongo in production only.
const config = {
  mongodb: {
    url: process.env.CATALOG_MONGODB_URL || 'mongodb://localhost:27017',
    databaseName: 'catalog',
    options: {},
  },

  // The migrations folder, relative to this file.
  migrationsDir: 'migrations',

  // The collection where migrate-mongo records which migrations ran.
  changelogCollectionName: 'changelog',

  migrationFileExtension: '.js',
  useFileHash: false,
  moduleSystem: 'commonjs',
};

module.exports = config;
