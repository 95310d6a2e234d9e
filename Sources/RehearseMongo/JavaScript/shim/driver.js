'use strict';
// The part of the MongoDB Node.js driver's API that migrations use, built on one primitive: run one database
// command on the scratch database (through Rehearse, over the pipe) and return its reply. Every method below
// turns into the command the driver itself would send. `require('mongodb')` in a migration returns this module.
const util = require('util');
const bson = require('./bson');
const bridge = require('./bridge');

const { ObjectId, toExtendedJSON, fromExtendedJSON } = bson;

// MARK: - Errors

class MongoError extends Error {
  get name() { return 'MongoError'; }
}

class MongoServerError extends MongoError {
  constructor(reply) {
    super(reply.errmsg || reply.message || 'the server refused the command');
    this.code = reply.code;
    this.codeName = reply.codeName;
    this.errmsg = reply.errmsg || this.message;
    if (reply.errorLabels) this.errorLabels = reply.errorLabels;
    if (reply.keyPattern) this.keyPattern = reply.keyPattern;
    if (reply.keyValue) this.keyValue = reply.keyValue;
  }
  get name() { return 'MongoServerError'; }
  hasErrorLabel(label) { return (this.errorLabels || []).includes(label); }
}

class MongoBulkWriteError extends MongoServerError {
  constructor(writeError, result) {
    super(writeError);
    this.writeErrors = [writeError];
    this.result = result;
    this.insertedCount = result.insertedCount;
    this.matchedCount = result.matchedCount;
    this.modifiedCount = result.modifiedCount;
    this.deletedCount = result.deletedCount;
    this.upsertedCount = result.upsertedCount;
  }
  get name() { return 'MongoBulkWriteError'; }
}

class MongoWriteConcernError extends MongoServerError {
  get name() { return 'MongoWriteConcernError'; }
}

class MongoNetworkError extends MongoError {
  get name() { return 'MongoNetworkError'; }
}

class MongoInvalidArgumentError extends MongoError {
  get name() { return 'MongoInvalidArgumentError'; }
}

class MongoTransactionError extends MongoError {
  get name() { return 'MongoTransactionError'; }
}

// MARK: - The one primitive

const counters = { commands: 0 };

/**
 * Runs `command` (a document whose first key is the command's name) and returns the reply.
 *
 * Throws synchronously, so that the error's stack names the migration's line that made the call.
 */
function runCommand(command, { admin = false, session } = {}) {
  const message = { op: 'command', command: toExtendedJSON(command) };
  if (admin) message.db = 'admin';
  if (session) session._attach(message);
  counters.commands += 1;
  const answer = bridge.request(message);
  const reply = answer.reply ? fromExtendedJSON(answer.reply) : null;
  if (!answer.ok) {
    if (reply && (reply.code !== undefined || reply.errmsg !== undefined)) throw new MongoServerError(reply);
    const error = answer.error || {};
    if (error.domain === 'server') throw new MongoServerError({ code: error.code, errmsg: error.message });
    if (error.domain === 'network') throw new MongoNetworkError(error.message || 'the server could not be reached');
    throw new MongoError(error.message || 'the command could not be run');
  }
  if (session) session._afterReply();
  return reply;
}

/** Settles like the driver's promise-returning methods, but runs the command now. */
function settle(body) {
  try {
    return Promise.resolve(body());
  } catch (error) {
    return Promise.reject(error);
  }
}

/** Options that are about how the driver sends a command, not part of it. */
const DRIVER_OPTIONS = new Set([
  'session', 'readPreference', 'serializeFunctions', 'ignoreUndefined', 'raw', 'promoteLongs', 'promoteValues',
  'promoteBuffers', 'bsonRegExp', 'enableUtf8Validation', 'useBigInt64', 'fieldsAsRaw', 'checkKeys', 'timeoutMS',
  'willRetryWrite', 'retryWrites', 'forceServerObjectId', 'includeResultMetadata', 'nameOnly', 'authorizedCollections',
]);

function commandOptions(options, allowed) {
  const result = {};
  for (const [key, value] of Object.entries(options || {})) {
    if (value === undefined || DRIVER_OPTIONS.has(key)) continue;
    if (allowed && !allowed.includes(key)) continue;
    result[key] = value;
  }
  return result;
}

function checkWriteReply(reply, resultSoFar) {
  if (reply.writeErrors && reply.writeErrors.length) {
    throw new MongoBulkWriteError(reply.writeErrors[0], resultSoFar);
  }
  if (reply.writeConcernError) throw new MongoWriteConcernError(reply.writeConcernError);
}

function hasAtomicOperators(update) {
  if (Array.isArray(update)) return update.length > 0;
  const keys = Object.keys(update || {});
  return keys.length > 0 && keys[0].startsWith('$');
}

// MARK: - Cursors

class AbstractCursor {
  constructor(collection, session) {
    this._collection = collection;
    this._session = session;
    this._buffer = null;
    this._cursorId = null;
    this._namespace = null;
    this._transforms = [];
    this._closed = false;
  }

  _initialCommand() { throw new Error('abstract'); }

  _fill() {
    if (this._buffer === null) {
      const reply = runCommand(this._initialCommand(), { session: this._session });
      this._adopt(reply.cursor, 'firstBatch');
      return;
    }
    if (this._buffer.length > 0 || this._exhausted()) return;
    const collection = this._namespace ? this._namespace.slice(this._namespace.indexOf('.') + 1) : this._collection;
    const reply = runCommand({ getMore: bson.Long.fromValue(this._cursorId), collection }, { session: this._session });
    this._adopt(reply.cursor, 'nextBatch');
  }

  _adopt(cursor, key) {
    this._buffer = (this._buffer || []).concat(cursor[key] || []);
    this._cursorId = cursor.id;
    if (cursor.ns) this._namespace = cursor.ns;
  }

  _exhausted() {
    const id = this._cursorId;
    return id === 0 || id === null || id === undefined || (id instanceof bson.Long && id.isZero());
  }

  _take() {
    let document = this._buffer.shift();
    for (const transform of this._transforms) document = transform(document);
    return document;
  }

  map(transform) {
    this._transforms.push(transform);
    return this;
  }

  hasNext() {
    return settle(() => {
      if (this._closed) return false;
      this._fill();
      while (this._buffer.length === 0 && !this._exhausted()) this._fill();
      return this._buffer.length > 0;
    });
  }

  next() {
    return settle(() => {
      if (this._closed) return null;
      this._fill();
      while (this._buffer.length === 0 && !this._exhausted()) this._fill();
      return this._buffer.length > 0 ? this._take() : null;
    });
  }

  tryNext() { return this.next(); }

  toArray() {
    return settle(() => {
      const documents = [];
      if (this._closed) return documents;
      this._fill();
      for (;;) {
        while (this._buffer.length > 0) documents.push(this._take());
        if (this._exhausted()) break;
        this._fill();
      }
      return documents;
    });
  }

  async forEach(iterator) {
    for (;;) {
      const document = await this.next();
      if (document === null) return;
      if (iterator(document) === false) return;
    }
  }

  async *[Symbol.asyncIterator]() {
    for (;;) {
      const document = await this.next();
      if (document === null) return;
      yield document;
    }
  }

  close() {
    return settle(() => {
      if (!this._closed && this._buffer !== null && !this._exhausted()) {
        const collection = this._namespace ? this._namespace.slice(this._namespace.indexOf('.') + 1) : this._collection;
        runCommand({ killCursors: collection, cursors: [bson.Long.fromValue(this._cursorId)] });
      }
      this._closed = true;
    });
  }

  _checkUnstarted(method) {
    if (this._buffer !== null) throw new MongoError(`cursor.${method}() cannot be called after the cursor has started`);
  }
}

class FindCursor extends AbstractCursor {
  constructor(collection, filter, options) {
    super(collection, options && options.session);
    this._filter = filter || {};
    this._options = { ...(options || {}) };
  }

  _initialCommand() {
    const options = commandOptions(this._options);
    if ('projection' in options || 'fields' in options) {
      options.projection = options.projection || options.fields;
      delete options.fields;
    }
    if (options.limit !== undefined && options.limit < 0) {
      options.limit = -options.limit;
      options.singleBatch = true;
    }
    if (options.limit === 0) delete options.limit;
    if (options.sort !== undefined) options.sort = normalizeSort(options.sort);
    return { find: this._collection, filter: this._filter, ...options };
  }

  filter(filter) { this._checkUnstarted('filter'); this._filter = filter; return this; }
  sort(sort, direction) {
    this._checkUnstarted('sort');
    this._options.sort = normalizeSort(sort, direction);
    return this;
  }
  project(projection) { this._checkUnstarted('project'); this._options.projection = projection; return this; }
  limit(count) { this._checkUnstarted('limit'); this._options.limit = count; return this; }
  skip(count) { this._checkUnstarted('skip'); this._options.skip = count; return this; }
  batchSize(count) { this._options.batchSize = count; return this; }
  hint(hint) { this._checkUnstarted('hint'); this._options.hint = hint; return this; }
  collation(collation) { this._checkUnstarted('collation'); this._options.collation = collation; return this; }
  maxTimeMS(ms) { this._options.maxTimeMS = ms; return this; }
  comment(comment) { this._options.comment = comment; return this; }
  allowDiskUse(allow = true) { this._options.allowDiskUse = allow; return this; }
  clone() { return new FindCursor(this._collection, this._filter, this._options); }

  count() {
    return settle(() => {
      const options = commandOptions(this._options, ['limit', 'skip', 'hint', 'collation', 'maxTimeMS']);
      return runCommand({ count: this._collection, query: this._filter, ...options }, { session: this._session }).n;
    });
  }
}

class AggregationCursor extends AbstractCursor {
  constructor(collection, pipeline, options, database) {
    super(collection, options && options.session);
    this._pipeline = pipeline || [];
    this._options = { ...(options || {}) };
    this._database = database;
  }

  _initialCommand() {
    const options = commandOptions(this._options);
    const cursor = {};
    if (options.batchSize !== undefined) {
      cursor.batchSize = options.batchSize;
      delete options.batchSize;
    }
    return { aggregate: this._collection === null ? 1 : this._collection, pipeline: this._pipeline, cursor, ...options };
  }

  match(stage) { this._pipeline.push({ $match: stage }); return this; }
  project(stage) { this._pipeline.push({ $project: stage }); return this; }
  group(stage) { this._pipeline.push({ $group: stage }); return this; }
  sort(stage) { this._pipeline.push({ $sort: stage }); return this; }
  limit(count) { this._pipeline.push({ $limit: count }); return this; }
  skip(count) { this._pipeline.push({ $skip: count }); return this; }
  unwind(stage) { this._pipeline.push({ $unwind: stage }); return this; }
  addStage(stage) { this._pipeline.push(stage); return this; }
  batchSize(count) { this._options.batchSize = count; return this; }
}

/** The reply's cursor for commands that return one (listCollections, listIndexes). */
class CommandCursor extends AbstractCursor {
  constructor(command, collection, session, refilter) {
    super(collection, session);
    this._command = command;
    this._refilter = refilter;
  }

  _initialCommand() { return this._command; }

  _adopt(cursor, key) {
    if (this._refilter) cursor = { ...cursor, [key]: (cursor[key] || []).filter(this._refilter) };
    super._adopt(cursor, key);
  }
}

function normalizeSort(sort, direction) {
  if (sort === undefined || sort === null) return undefined;
  if (typeof sort === 'string') return { [sort]: direction === undefined ? 1 : direction };
  if (Array.isArray(sort)) {
    const result = {};
    if (sort.length === 2 && typeof sort[0] === 'string' && !Array.isArray(sort[1])) {
      result[sort[0]] = sort[1];
      return result;
    }
    for (const element of sort) {
      if (Array.isArray(element)) result[element[0]] = element[1];
      else result[element] = 1;
    }
    return result;
  }
  if (sort instanceof Map) return Object.fromEntries(sort);
  return sort;
}

// MARK: - Collection

const INDEX_OPTIONS = [
  'name', 'unique', 'sparse', 'partialFilterExpression', 'expireAfterSeconds', 'collation', 'hidden', 'background',
  'weights', 'default_language', 'language_override', 'textIndexVersion', '2dsphereIndexVersion', 'bits', 'min', 'max',
  'bucketSize', 'wildcardProjection', 'storageEngine', 'version', 'v',
];

function indexKeys(keys) {
  if (typeof keys === 'string') return { [keys]: 1 };
  if (Array.isArray(keys)) {
    const result = {};
    for (const element of keys) {
      if (Array.isArray(element)) result[element[0]] = element[1];
      else if (typeof element === 'string') result[element] = 1;
      else Object.assign(result, element);
    }
    return result;
  }
  if (keys instanceof Map) return Object.fromEntries(keys);
  return keys;
}

/** The driver's default index name: `field_1_other_-1`. */
function indexName(keys) {
  return Object.entries(keys).map(([field, direction]) => `${field}_${direction}`).join('_');
}

function indexSpecification(keys, options) {
  const key = indexKeys(keys);
  const spec = { key, name: (options && options.name) || indexName(key) };
  for (const option of INDEX_OPTIONS) {
    if (option === 'name' || !options || options[option] === undefined) continue;
    spec[option === 'version' ? 'v' : option] = options[option];
  }
  return spec;
}

class Collection {
  constructor(db, name) {
    this._db = db;
    this._name = name;
  }

  get collectionName() { return this._name; }
  get dbName() { return this._db.databaseName; }
  get namespace() { return `${this._db.databaseName}.${this._name}`; }
  get s() { return { db: this._db, namespace: { db: this._db.databaseName, collection: this._name } }; }
  [util.inspect.custom]() { return `Collection(${this._name})`; }

  insertOne(document, options = {}) {
    return settle(() => {
      const doc = withId(document, options);
      const reply = runCommand(
        { insert: this._name, documents: [doc], ordered: true, ...commandOptions(options, ['bypassDocumentValidation', 'writeConcern', 'comment']) },
        { session: options.session },
      );
      checkWriteReply(reply, writeResult({ insertedCount: 0 }));
      return { acknowledged: true, insertedId: doc._id };
    });
  }

  insertMany(documents, options = {}) {
    return settle(() => {
      if (!Array.isArray(documents)) throw new MongoInvalidArgumentError('insertMany takes an array of documents');
      const docs = documents.map(document => withId(document, options));
      const ordered = options.ordered !== false;
      const reply = runCommand(
        { insert: this._name, documents: docs, ordered, ...commandOptions(options, ['bypassDocumentValidation', 'writeConcern', 'comment']) },
        { session: options.session },
      );
      const insertedIds = {};
      docs.forEach((doc, index) => { insertedIds[index] = doc._id; });
      checkWriteReply(reply, writeResult({ insertedCount: reply.n || 0, insertedIds }));
      return { acknowledged: true, insertedCount: reply.n, insertedIds };
    });
  }

  _update(filter, update, options, multi, what) {
    return settle(() => {
      if (what === 'replace') {
        if (hasAtomicOperators(update)) throw new MongoInvalidArgumentError('Replacement document must not contain atomic operators');
      } else if (!hasAtomicOperators(update)) {
        throw new MongoInvalidArgumentError('Update document requires atomic operators');
      }
      const statement = { q: filter || {}, u: update, multi, upsert: Boolean(options.upsert) };
      for (const key of ['arrayFilters', 'collation', 'hint']) if (options[key] !== undefined) statement[key] = options[key];
      const reply = runCommand(
        { update: this._name, updates: [statement], ordered: true, ...commandOptions(options, ['bypassDocumentValidation', 'writeConcern', 'let', 'comment']) },
        { session: options.session },
      );
      checkWriteReply(reply, writeResult({}));
      const upserted = (reply.upserted || [])[0];
      return {
        acknowledged: true,
        matchedCount: (reply.n || 0) - (upserted ? 1 : 0),
        modifiedCount: reply.nModified || 0,
        upsertedCount: upserted ? 1 : 0,
        upsertedId: upserted ? upserted._id : null,
      };
    });
  }

  updateOne(filter, update, options = {}) { return this._update(filter, update, options, false, 'update'); }
  updateMany(filter, update, options = {}) { return this._update(filter, update, options, true, 'update'); }
  replaceOne(filter, replacement, options = {}) { return this._update(filter, replacement, options, false, 'replace'); }

  _delete(filter, options, limit) {
    return settle(() => {
      const statement = { q: filter || {}, limit };
      for (const key of ['collation', 'hint']) if (options[key] !== undefined) statement[key] = options[key];
      const reply = runCommand(
        { delete: this._name, deletes: [statement], ordered: true, ...commandOptions(options, ['writeConcern', 'let', 'comment']) },
        { session: options.session },
      );
      checkWriteReply(reply, writeResult({}));
      return { acknowledged: true, deletedCount: reply.n || 0 };
    });
  }

  deleteOne(filter, options = {}) { return this._delete(filter, options, 1); }
  deleteMany(filter, options = {}) { return this._delete(filter, options, 0); }

  find(filter, options) { return new FindCursor(this._name, filter, options); }

  findOne(filter, options = {}) {
    return settle(() => {
      const cursor = new FindCursor(this._name, filter, { ...options, limit: 1, singleBatch: true });
      const reply = runCommand(cursor._initialCommand(), { session: options.session });
      const batch = reply.cursor.firstBatch || [];
      return batch.length ? batch[0] : null;
    });
  }

  countDocuments(filter = {}, options = {}) {
    return settle(() => {
      const pipeline = [{ $match: filter }];
      if (typeof options.skip === 'number') pipeline.push({ $skip: options.skip });
      if (typeof options.limit === 'number') pipeline.push({ $limit: options.limit });
      pipeline.push({ $group: { _id: 1, n: { $sum: 1 } } });
      const reply = runCommand(
        { aggregate: this._name, pipeline, cursor: {}, ...commandOptions(options, ['collation', 'hint', 'maxTimeMS', 'comment']) },
        { session: options.session },
      );
      const batch = reply.cursor.firstBatch || [];
      return batch.length ? Number(batch[0].n) : 0;
    });
  }

  estimatedDocumentCount(options = {}) {
    return settle(() => runCommand({ count: this._name, ...commandOptions(options, ['maxTimeMS', 'comment']) }, { session: options.session }).n);
  }

  distinct(key, filter = {}, options = {}) {
    return settle(() => runCommand(
      { distinct: this._name, key, query: filter, ...commandOptions(options, ['collation', 'maxTimeMS', 'comment']) },
      { session: options.session },
    ).values);
  }

  aggregate(pipeline = [], options) { return new AggregationCursor(this._name, pipeline, options); }

  _findAndModify(filter, fields, options) {
    return settle(() => {
      const command = { findAndModify: this._name, query: filter || {}, ...fields };
      if (options.sort !== undefined) command.sort = normalizeSort(options.sort);
      if (options.projection !== undefined) command.fields = options.projection;
      for (const key of ['upsert', 'arrayFilters', 'collation', 'hint', 'bypassDocumentValidation', 'writeConcern', 'maxTimeMS', 'let', 'comment']) {
        if (options[key] !== undefined) command[key] = options[key];
      }
      const reply = runCommand(command, { session: options.session });
      return options.includeResultMetadata ? reply : (reply.value ?? null);
    });
  }

  findOneAndUpdate(filter, update, options = {}) {
    if (!hasAtomicOperators(update)) return Promise.reject(new MongoInvalidArgumentError('Update document requires atomic operators'));
    return this._findAndModify(filter, { update, new: options.returnDocument === 'after' || options.returnOriginal === false }, options);
  }

  findOneAndReplace(filter, replacement, options = {}) {
    if (hasAtomicOperators(replacement)) return Promise.reject(new MongoInvalidArgumentError('Replacement document must not contain atomic operators'));
    return this._findAndModify(filter, { update: replacement, new: options.returnDocument === 'after' || options.returnOriginal === false }, options);
  }

  findOneAndDelete(filter, options = {}) { return this._findAndModify(filter, { remove: true }, options); }

  createIndex(keys, options = {}) {
    return settle(() => {
      const spec = indexSpecification(keys, options);
      runCommand(
        { createIndexes: this._name, indexes: [spec], ...commandOptions(options, ['commitQuorum', 'writeConcern', 'maxTimeMS', 'comment']) },
        { session: options.session },
      );
      return spec.name;
    });
  }

  createIndexes(specs, options = {}) {
    return settle(() => {
      const indexes = specs.map(spec => {
        const { key, ...rest } = spec;
        return indexSpecification(key, rest);
      });
      runCommand(
        { createIndexes: this._name, indexes, ...commandOptions(options, ['commitQuorum', 'writeConcern', 'maxTimeMS', 'comment']) },
        { session: options.session },
      );
      return indexes.map(index => index.name);
    });
  }

  dropIndex(index, options = {}) {
    return settle(() => runCommand(
      { dropIndexes: this._name, index: typeof index === 'string' ? index : indexKeys(index), ...commandOptions(options, ['writeConcern', 'maxTimeMS', 'comment']) },
      { session: options.session },
    ));
  }

  dropIndexes(options = {}) {
    return settle(() => {
      runCommand({ dropIndexes: this._name, index: '*', ...commandOptions(options, ['writeConcern', 'maxTimeMS', 'comment']) }, { session: options.session });
      return true;
    });
  }

  listIndexes(options = {}) {
    return new CommandCursor({ listIndexes: this._name, cursor: {} }, this._name, options.session);
  }

  indexes(options = {}) { return this.listIndexes(options).toArray(); }

  async indexExists(names, options = {}) {
    const existing = new Set((await this.indexes(options)).map(index => index.name));
    return (Array.isArray(names) ? names : [names]).every(name => existing.has(name));
  }

  async indexInformation(options = {}) {
    const indexes = await this.indexes(options);
    if (options.full) return indexes;
    const result = {};
    for (const index of indexes) result[index.name] = Object.entries(index.key);
    return result;
  }

  drop(options = {}) {
    return settle(() => {
      runCommand({ drop: this._name, ...commandOptions(options, ['writeConcern', 'comment']) }, { session: options.session });
      return true;
    });
  }

  rename(newName, options = {}) {
    return settle(() => {
      runCommand(
        { renameCollection: this.namespace, to: `${this._db.databaseName}.${newName}`, dropTarget: Boolean(options.dropTarget) },
        { admin: true, session: options.session },
      );
      return new Collection(this._db, newName);
    });
  }

  async options(options = {}) {
    const collections = await this._db.listCollections({ name: this._name }, options).toArray();
    if (collections.length === 0) throw new MongoError(`Collection ${this.namespace} not found`);
    return collections[0].options || {};
  }

  async isCapped(options = {}) { return Boolean((await this.options(options)).capped); }

  bulkWrite(operations, options = {}) {
    return settle(() => bulkWrite(this, operations, options));
  }
}

function withId(document, options) {
  if (document === null || typeof document !== 'object' || Array.isArray(document)) {
    throw new MongoInvalidArgumentError('a document to insert must be an object');
  }
  if (document._id !== undefined || options.forceServerObjectId) return document;
  // The driver adds the _id to the caller's object, so that insertedId and document._id agree.
  document._id = new ObjectId();
  return document;
}

function writeResult(fields) {
  return {
    insertedCount: 0, matchedCount: 0, modifiedCount: 0, deletedCount: 0, upsertedCount: 0,
    insertedIds: {}, upsertedIds: {}, ...fields,
  };
}

/** Groups consecutive operations of one kind into one command each (all of a kind, when unordered). */
function bulkWrite(collection, operations, options) {
  if (!Array.isArray(operations)) throw new MongoInvalidArgumentError('bulkWrite takes an array of operations');
  const ordered = options.ordered !== false;
  const parsed = operations.map((operation, index) => parseBulkOperation(operation, index, options));
  const batches = [];
  if (ordered) {
    for (const operation of parsed) {
      const last = batches[batches.length - 1];
      if (last && last.kind === operation.kind) last.operations.push(operation);
      else batches.push({ kind: operation.kind, operations: [operation] });
    }
  } else {
    for (const kind of ['insert', 'update', 'delete']) {
      const ofKind = parsed.filter(operation => operation.kind === kind);
      if (ofKind.length) batches.push({ kind, operations: ofKind });
    }
  }
  const result = writeResult({});
  const extra = commandOptions(options, ['bypassDocumentValidation', 'writeConcern', 'let', 'comment']);
  for (const batch of batches) {
    const statements = batch.operations.map(operation => operation.statement);
    const field = batch.kind === 'insert' ? 'documents' : batch.kind === 'update' ? 'updates' : 'deletes';
    const reply = runCommand({ [batch.kind]: collection.collectionName, [field]: statements, ordered, ...extra }, { session: options.session });
    if (batch.kind === 'insert') {
      result.insertedCount += reply.n || 0;
      batch.operations.forEach(operation => { result.insertedIds[operation.index] = operation.statement._id; });
    } else if (batch.kind === 'update') {
      const upserted = reply.upserted || [];
      result.matchedCount += (reply.n || 0) - upserted.length;
      result.modifiedCount += reply.nModified || 0;
      result.upsertedCount += upserted.length;
      for (const entry of upserted) result.upsertedIds[batch.operations[entry.index].index] = entry._id;
    } else {
      result.deletedCount += reply.n || 0;
    }
    if (reply.writeErrors && reply.writeErrors.length) {
      const first = { ...reply.writeErrors[0], index: batch.operations[reply.writeErrors[0].index]?.index ?? reply.writeErrors[0].index };
      throw new MongoBulkWriteError(first, result);
    }
    if (reply.writeConcernError) throw new MongoWriteConcernError(reply.writeConcernError);
  }
  return { acknowledged: true, ok: 1, ...result, getInsertedIds: () => result.insertedIds, getUpsertedIds: () => result.upsertedIds };
}

function parseBulkOperation(operation, index, options) {
  const [name] = Object.keys(operation || {});
  const body = operation[name] || {};
  const pick = (statement, keys) => {
    for (const key of keys) if (body[key] !== undefined) statement[key] = body[key];
    return statement;
  };
  switch (name) {
    case 'insertOne':
      return { kind: 'insert', index, statement: withId(body.document, options) };
    case 'updateOne':
    case 'updateMany':
      if (!hasAtomicOperators(body.update)) throw new MongoInvalidArgumentError(`bulkWrite operation ${index}: Update document requires atomic operators`);
      return {
        kind: 'update', index,
        statement: pick({ q: body.filter || {}, u: body.update, multi: name === 'updateMany', upsert: Boolean(body.upsert) }, ['arrayFilters', 'collation', 'hint']),
      };
    case 'replaceOne':
      if (hasAtomicOperators(body.replacement)) throw new MongoInvalidArgumentError(`bulkWrite operation ${index}: Replacement document must not contain atomic operators`);
      return {
        kind: 'update', index,
        statement: pick({ q: body.filter || {}, u: body.replacement, multi: false, upsert: Boolean(body.upsert) }, ['collation', 'hint']),
      };
    case 'deleteOne':
    case 'deleteMany':
      return { kind: 'delete', index, statement: pick({ q: body.filter || {}, limit: name === 'deleteOne' ? 1 : 0 }, ['collation', 'hint']) };
    default:
      throw new MongoInvalidArgumentError(`bulkWrite operation ${index} is ${util.inspect(operation)}; expected insertOne, updateOne, updateMany, replaceOne, deleteOne or deleteMany`);
  }
}

// MARK: - Db

/** What the driver never sends with `create` (client-side settings and long-gone options). */
const COLLECTION_OPTIONS_LEFT_OUT = [
  'session', 'writeConcern', 'readConcern', 'readPreference', 'checkKeys', 'serializeFunctions', 'raw', 'w', 'wtimeout', 'j',
  'fsync', 'autoIndexId', 'pkFactory', 'strict',
];

/** listCollections filters that the shim can re-apply to the reply (nx-27017 ignores the filter). */
function simpleListFilter(filter) {
  const entries = Object.entries(filter || {});
  if (entries.length === 0) return null;
  const tests = [];
  for (const [field, condition] of entries) {
    if (field.startsWith('$') || field.includes('.')) return null;
    if (typeof condition === 'string') tests.push(entry => entry[field] === condition);
    else if (condition && typeof condition === 'object' && Object.keys(condition).length === 1 && Array.isArray(condition.$in)
      && condition.$in.every(value => typeof value === 'string')) {
      tests.push(entry => condition.$in.includes(entry[field]));
    } else return null;
  }
  return entry => tests.every(test => test(entry));
}

class Db {
  constructor(client, name) {
    this._client = client;
    this._name = name;
  }

  get databaseName() { return this._name; }
  get client() { return this._client; }
  [util.inspect.custom]() { return `Db(${this._name})`; }

  collection(name) {
    if (typeof name !== 'string' || name.length === 0) throw new MongoInvalidArgumentError('collection names must be non-empty strings');
    return new Collection(this, name);
  }

  createCollection(name, options = {}) {
    return settle(() => {
      const extra = {};
      for (const [key, value] of Object.entries(options)) {
        if (value !== undefined && !COLLECTION_OPTIONS_LEFT_OUT.includes(key) && !DRIVER_OPTIONS.has(key)) extra[key] = value;
      }
      runCommand({ create: name, ...extra }, { session: options.session });
      return new Collection(this, name);
    });
  }

  dropCollection(name, options = {}) { return this.collection(name).drop(options); }

  renameCollection(from, to, options = {}) { return this.collection(from).rename(to, options); }

  listCollections(filter = {}, options = {}) {
    const command = { listCollections: 1, filter, cursor: {} };
    if (options.nameOnly) command.nameOnly = true;
    if (options.authorizedCollections) command.authorizedCollections = true;
    return new CommandCursor(command, '$cmd.listCollections', options.session, simpleListFilter(filter));
  }

  async collections(options = {}) {
    const entries = await this.listCollections({}, options).toArray();
    return entries.filter(entry => !entry.name.startsWith('system.')).map(entry => new Collection(this, entry.name));
  }

  command(command, options = {}) {
    return settle(() => runCommand(command, { session: options.session }));
  }

  aggregate(pipeline = [], options) { return new AggregationCursor(null, pipeline, options, this); }

  createIndex(name, keys, options = {}) { return this.collection(name).createIndex(keys, options); }

  indexInformation(name, options = {}) { return this.collection(name).indexInformation(options); }

  stats(options = {}) { return this.command({ dbStats: 1, ...commandOptions(options, ['scale']) }, options); }

  dropDatabase(options = {}) {
    return settle(() => {
      runCommand({ dropDatabase: 1 }, { session: options.session });
      return true;
    });
  }

  admin() { return new Admin(); }
}

/** The admin database, for the read-only commands migrations use to look at the server. */
class Admin {
  command(command, options = {}) { return settle(() => runCommand(command, { admin: true, session: options.session })); }
  ping() { return this.command({ ping: 1 }); }
  buildInfo() { return this.command({ buildInfo: 1 }); }
  serverInfo() { return this.command({ buildInfo: 1 }); }
  serverStatus() { return this.command({ serverStatus: 1 }); }
}

// MARK: - Sessions and transactions

let serverHasTransactions;

class ClientSession {
  constructor(client, options) {
    this._client = client;
    this._options = options || {};
    this._ended = false;
    this._state = 'none';
    this._remoteId = null;
    this.id = { id: new bson.UUID() };
  }

  get hasEnded() { return this._ended; }
  inTransaction() { return this._state === 'starting' || this._state === 'in_progress'; }
  get transaction() { return { state: this._state, isActive: this.inTransaction() }; }

  _ensureRemote() {
    if (serverHasTransactions === undefined) {
      serverHasTransactions = Boolean(bridge.request({ op: 'startSession', probe: true }).transactions);
    }
    if (serverHasTransactions && this._remoteId === null) {
      this._remoteId = bridge.request({ op: 'startSession' }).session;
    }
  }

  /** Routes a command through libmongoc's session when a real transaction is open. */
  _attach(message) {
    if (this._remoteId !== null && this.inTransaction()) message.session = this._remoteId;
  }

  _afterReply() {
    if (this._state === 'starting') this._state = 'in_progress';
  }

  startTransaction(options = {}) {
    if (this._ended) throw new MongoTransactionError('the session has ended');
    if (this.inTransaction()) throw new MongoTransactionError('Transaction already in progress');
    this._ensureRemote();
    if (serverHasTransactions) {
      const answer = bridge.request({ op: 'startTransaction', session: this._remoteId, options: toExtendedJSON(options) });
      if (!answer.ok) throw new MongoTransactionError((answer.error && answer.error.message) || 'the transaction could not start');
    } else {
      notAtomic();
    }
    this._state = 'starting';
  }

  commitTransaction() {
    return settle(() => {
      if (!this.inTransaction()) throw new MongoTransactionError('No transaction started');
      if (serverHasTransactions) {
        const answer = bridge.request({ op: 'commitTransaction', session: this._remoteId });
        if (!answer.ok) {
          this._state = 'aborted';
          const reply = answer.reply ? fromExtendedJSON(answer.reply) : {};
          throw new MongoServerError({ code: reply.code ?? answer.error?.code, errmsg: reply.errmsg || answer.error?.message, errorLabels: reply.errorLabels });
        }
      }
      this._state = 'committed';
    });
  }

  abortTransaction() {
    return settle(() => {
      if (!this.inTransaction()) throw new MongoTransactionError('No transaction started');
      if (serverHasTransactions) bridge.request({ op: 'abortTransaction', session: this._remoteId });
      this._state = 'aborted';
    });
  }

  async withTransaction(callback, options) {
    this.startTransaction(options);
    let result;
    try {
      result = await callback(this);
    } catch (error) {
      if (this.inTransaction()) await this.abortTransaction();
      throw error;
    }
    if (this.inTransaction()) await this.commitTransaction();
    return result;
  }

  endSession() {
    return settle(() => {
      if (this._ended) return;
      if (this.inTransaction()) this.abortTransaction();
      if (this._remoteId !== null) bridge.request({ op: 'endSession', session: this._remoteId });
      this._ended = true;
    });
  }

  [util.inspect.custom]() { return 'ClientSession'; }
}

let notedNotAtomic = false;

function notAtomic() {
  if (notedNotAtomic) return;
  notedNotAtomic = true;
  bridge.tell({ op: 'note', kind: 'notAtomic', where: callerLocation() });
}

/** `file:line` of the first stack frame outside the shim, for notes. */
function callerLocation() {
  const stack = new Error().stack.split('\n').slice(1);
  for (const frame of stack) {
    const match = /\(?((?:\/|[A-Za-z]:\\)[^():]+):(\d+):(\d+)\)?$/.exec(frame.trim());
    if (match && !match[1].startsWith(__dirname)) return `${match[1]}:${match[2]}`;
  }
  return null;
}

// MARK: - Client

class MongoClient {
  constructor(url, options) {
    this._url = url;
    this._options = options;
    this._databaseName = MongoClient._scratch;
  }

  /** Every name maps to the scratch database: a rehearsal never reaches another database. */
  db(name) {
    void name;
    return new Db(this, this._databaseName);
  }

  connect() { return Promise.resolve(this); }
  close() { return Promise.resolve(); }
  startSession(options) { return new ClientSession(this, options); }

  async withSession(options, callback) {
    if (typeof options === 'function') [options, callback] = [{}, options];
    const session = this.startSession(options);
    try {
      return await callback(session);
    } finally {
      await session.endSession();
    }
  }

  static connect(url, options) { return Promise.resolve(new MongoClient(url, options)); }
}
MongoClient._scratch = 'test';

module.exports = {
  ...bson,
  MongoClient, Db, Collection, FindCursor, AggregationCursor, CommandCursor, ClientSession, Admin,
  MongoError, MongoServerError, MongoBulkWriteError, MongoWriteConcernError, MongoNetworkError,
  MongoInvalidArgumentError, MongoTransactionError, counters,
};
