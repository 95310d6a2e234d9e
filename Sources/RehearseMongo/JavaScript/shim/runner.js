'use strict';
// Runs one exported function of one migrate-mongo migration: `node runner.js <file> <up|down> <database>`.
// Calls `module.exports[entry](db, client)` as migrate-mongo does, with `db` and `client` from ./driver.js, then
// reports how it ended on the pipe: `done`, or `failed` with the message and where in the migration it was thrown.
const Module = require('module');
const path = require('path');
const util = require('util');

const [file, entry, databaseName] = process.argv.slice(2);
const migrationPath = path.resolve(file);
// Node names a module by its real path in stack traces, so a repository reached through a symbolic link
// (macOS's /tmp) must be compared by that path too.
const migrationPaths = new Set([migrationPath]);
try {
  migrationPaths.add(require('fs').realpathSync(migrationPath));
} catch {
  // A file that cannot be resolved fails to load below, with its own message.
}
const shimDirectory = __dirname;

// Fd 1 is the pipe to Rehearse: whatever the migration prints goes to stderr instead.
for (const method of ['log', 'info', 'debug', 'trace', 'dir', 'table']) {
  const original = console[method] && console[method].bind(console);
  if (original) console[method] = (...args) => process.stderr.write(util.format(...args) + '\n');
}
process.stdout.write = (chunk, encoding, callback) => process.stderr.write(chunk, encoding, callback);

// `require('mongodb')` and `require('bson')` resolve to the shim, whatever node_modules the repository has.
const originalResolve = Module._resolveFilename;
Module._resolveFilename = function resolve(request, ...rest) {
  if (request === 'mongodb' || request === 'mongodb/lib/index.js') return path.join(shimDirectory, 'driver.js');
  if (request === 'bson') return path.join(shimDirectory, 'bson.js');
  return originalResolve.call(this, request, ...rest);
};

const bridge = require('./bridge');
const driver = require('./driver');

// Rehearse killed or gone: stop too (a migration that never settles would otherwise outlive it).
const parent = process.ppid;
setInterval(() => {
  if (process.ppid !== parent) process.exit(71);
}, 1000).unref();

let settled = false;

/** The first stack frame in the migration file, else the first outside the shim and Node's own modules. */
function locate(error) {
  const stack = error && typeof error.stack === 'string' ? error.stack.split('\n') : [];
  const frames = [];
  for (const line of stack) {
    const match = /^\s*at (?:.*? \()?(.+?):(\d+):(\d+)\)?$/.exec(line);
    if (match) frames.push({ file: match[1].replace(/^file:\/\//, ''), line: Number(match[2]), column: Number(match[3]) });
  }
  const own = frames.find(frame => migrationPaths.has(frame.file));
  if (own) return { ...own, inMigration: true };
  const other = frames.find(frame => !frame.file.startsWith(shimDirectory) && !frame.file.startsWith('node:') && path.isAbsolute(frame.file));
  return other ? { ...other, inMigration: false } : null;
}

function fail(error, kind) {
  if (settled) return;
  settled = true;
  const isError = error instanceof Error || (error && typeof error === 'object' && 'message' in error);
  const message = isError ? String(error.message) : `threw ${util.inspect(error)}, not an Error`;
  const report = { op: 'failed', kind, name: isError ? error.name : undefined, message, location: isError ? locate(error) : null };
  if (isError && error.code !== undefined && typeof error.code === 'number') report.code = error.code;
  if (isError && error.codeName) report.codeName = error.codeName;
  bridge.tell(report);
  process.exit(1);
}

process.on('uncaughtException', error => fail(error, 'uncaught'));
process.on('unhandledRejection', error => fail(error, 'unhandled'));
process.on('beforeExit', () => {
  if (settled) return;
  settled = true;
  bridge.tell({ op: 'failed', kind: 'unsettled', message: `${entry}() returned a promise that never settled, and nothing was left for it to wait for` });
  process.exit(1);
});

async function main() {
  driver.MongoClient._scratch = databaseName;
  let migration;
  try {
    migration = require(migrationPath);
  } catch (error) {
    return fail(error, 'load');
  }
  if (migration && typeof migration === 'object' && migration.default && typeof migration[entry] !== 'function') {
    migration = migration.default;
  }
  const run = migration && migration[entry];
  if (typeof run !== 'function') {
    const exported = migration && typeof migration === 'object' ? Object.keys(migration).filter(key => typeof migration[key] === 'function') : [];
    return fail(new Error(
      `exports no function \`${entry}\` (it exports ${exported.length ? exported.map(name => '`' + name + '`').join(', ') : 'no functions'}); `
      + 'migrate-mongo calls module.exports.up(db, client) and module.exports.down(db, client)',
    ), 'export');
  }
  const client = new driver.MongoClient();
  const db = client.db(databaseName);
  try {
    // migrate-mongo's rule: a function declaring a third parameter takes a callback.
    if (run.length > 2) await util.promisify(run).call(migration, db, client);
    else await run.call(migration, db, client);
  } catch (error) {
    return fail(error, 'rejected');
  }
  if (settled) return;
  settled = true;
  bridge.tell({ op: 'done', commands: driver.counters.commands });
  process.exit(0);
}

main();
