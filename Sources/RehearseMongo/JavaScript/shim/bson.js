'use strict';
// The BSON types a migration constructs, and their canonical Extended JSON form, which is what crosses the pipe.
// Values convert as the Node driver (js-bson) converts them with its defaults: a JavaScript integer in the int32
// range becomes an int32, any other number a double, a bigint an int64; int64 values come back as numbers when they
// fit in 53 bits (promoteLongs), binary data comes back as Binary (promoteBuffers off), regular expressions as RegExp.
const crypto = require('crypto');
const util = require('util');

const inspect = util.inspect.custom;

class BSONError extends Error {
  get name() { return 'BSONError'; }
}

// MARK: - ObjectId

const processUnique = crypto.randomBytes(5);
let counter = crypto.randomBytes(3).readUIntBE(0, 3);

class ObjectId {
  constructor(input) {
    if (input === undefined || input === null) {
      this._hex = ObjectId.generate().toString('hex');
    } else if (input instanceof ObjectId) {
      this._hex = input._hex;
    } else if (typeof input === 'string' && /^[0-9a-fA-F]{24}$/.test(input)) {
      this._hex = input.toLowerCase();
    } else if (typeof input === 'number') {
      this._hex = ObjectId.generate(input).toString('hex');
    } else if (input instanceof Uint8Array && input.length === 12) {
      this._hex = Buffer.from(input).toString('hex');
    } else if (typeof input === 'object' && typeof input.toHexString === 'function') {
      this._hex = String(input.toHexString()).toLowerCase();
    } else {
      throw new BSONError('ObjectId takes a 24-character hex string, 12 bytes, a number of seconds or nothing; got ' + util.inspect(input));
    }
  }

  get _bsontype() { return 'ObjectId'; }
  get id() { return Buffer.from(this._hex, 'hex'); }
  toHexString() { return this._hex; }
  toString() { return this._hex; }
  toJSON() { return this._hex; }
  equals(other) {
    if (other === null || other === undefined) return false;
    if (typeof other === 'string') return other.toLowerCase() === this._hex;
    return typeof other.toHexString === 'function' && String(other.toHexString()).toLowerCase() === this._hex;
  }
  getTimestamp() { return new Date(parseInt(this._hex.slice(0, 8), 16) * 1000); }
  [inspect]() { return `new ObjectId('${this._hex}')`; }

  /** Twelve bytes: seconds since the epoch, five bytes unique to this process, a three-byte counter. */
  static generate(time) {
    const bytes = Buffer.alloc(12);
    bytes.writeUInt32BE((typeof time === 'number' ? time : Math.floor(Date.now() / 1000)) >>> 0, 0);
    processUnique.copy(bytes, 4);
    counter = (counter + 1) % 0xffffff;
    bytes.writeUIntBE(counter, 9, 3);
    return bytes;
  }
  static isValid(value) {
    if (value === null || value === undefined) return false;
    try {
      new ObjectId(value);
      return true;
    } catch {
      return false;
    }
  }
  static createFromHexString(hex) { return new ObjectId(hex); }
  static createFromTime(seconds) {
    const bytes = Buffer.alloc(12);
    bytes.writeUInt32BE(seconds >>> 0, 0);
    return new ObjectId(bytes);
  }
}

// MARK: - Numbers

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

class Long {
  constructor(low = 0, high, unsigned) {
    if (typeof low === 'bigint') {
      this._value = BigInt.asIntN(64, low);
    } else if (typeof low === 'string') {
      this._value = BigInt.asIntN(64, BigInt(low));
    } else {
      const lowBits = BigInt(low >>> 0);
      const highBits = BigInt((high ?? 0) >>> 0);
      this._value = BigInt.asIntN(64, (highBits << 32n) | lowBits);
    }
    this.unsigned = Boolean(unsigned);
  }
  get _bsontype() { return 'Long'; }
  get low() { return Number(BigInt.asIntN(32, this._value)); }
  get high() { return Number(BigInt.asIntN(32, this._value >> 32n)); }
  toBigInt() { return this._value; }
  toNumber() { return Number(this._value); }
  toInt() { return this.low; }
  toString(radix = 10) { return this._value.toString(radix); }
  toJSON() { return this.toString(); }
  valueOf() { return this.toNumber(); }
  equals(other) { return Long.fromValue(other)._value === this._value; }
  compare(other) {
    const value = Long.fromValue(other)._value;
    return this._value === value ? 0 : this._value < value ? -1 : 1;
  }
  isZero() { return this._value === 0n; }
  isNegative() { return this._value < 0n; }
  add(other) { return new Long(this._value + Long.fromValue(other)._value); }
  subtract(other) { return new Long(this._value - Long.fromValue(other)._value); }
  multiply(other) { return new Long(this._value * Long.fromValue(other)._value); }
  negate() { return new Long(-this._value); }
  [inspect]() { return `new Long('${this.toString()}')`; }

  static fromNumber(value) {
    if (!Number.isFinite(value)) return new Long(0);
    return new Long(BigInt(Math.trunc(value)));
  }
  static fromInt(value) { return new Long(BigInt(value | 0)); }
  static fromBigInt(value) { return new Long(value); }
  static fromString(text, unsigned, radix = 10) {
    if (typeof unsigned === 'number') radix = unsigned;
    const trimmed = String(text).trim();
    const negative = trimmed.startsWith('-');
    const digits = negative ? trimmed.slice(1) : trimmed;
    const prefix = radix === 16 ? '0x' : radix === 8 ? '0o' : radix === 2 ? '0b' : '';
    if (radix !== 10 && !prefix) throw new BSONError(`Long.fromString supports radix 2, 8, 10 and 16, not ${radix}`);
    let value = BigInt(prefix + digits);
    if (negative) value = -value;
    return new Long(value);
  }
  static fromBits(low, high, unsigned) { return new Long(low, high, unsigned); }
  static fromValue(value) {
    if (value instanceof Long) return value;
    if (typeof value === 'bigint') return new Long(value);
    if (typeof value === 'string') return Long.fromString(value);
    if (value && typeof value === 'object' && value._bsontype === 'Long') return Long.fromString(value.toString());
    return Long.fromNumber(Number(value));
  }
  static isLong(value) { return value instanceof Long || (value && value._bsontype === 'Long'); }
}
Long.ZERO = new Long(0);
Long.ONE = new Long(1);
Long.MAX_VALUE = new Long(INT64_MAX);
Long.MIN_VALUE = new Long(INT64_MIN);

class Int32 {
  constructor(value) { this.value = Number(value) | 0; }
  get _bsontype() { return 'Int32'; }
  valueOf() { return this.value; }
  toString(radix) { return this.value.toString(radix); }
  toJSON() { return this.value; }
  [inspect]() { return `new Int32(${this.value})`; }
}

class Double {
  constructor(value) { this.value = Number(value); }
  get _bsontype() { return 'Double'; }
  valueOf() { return this.value; }
  toString(radix) { return this.value.toString(radix); }
  toJSON() { return this.value; }
  [inspect]() { return `new Double(${this.value})`; }
}

const DECIMAL_PATTERN = /^[-+]?(?:(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?|Inf(?:inity)?|NaN)$/i;

class Decimal128 {
  constructor(text) {
    if (typeof text !== 'string' || !DECIMAL_PATTERN.test(text.trim())) {
      throw new BSONError(`Decimal128 takes a decimal number as a string, e.g. "19.99"; got ${util.inspect(text)}`);
    }
    this._text = text.trim();
  }
  get _bsontype() { return 'Decimal128'; }
  toString() { return this._text; }
  toJSON() { return { $numberDecimal: this._text }; }
  [inspect]() { return `new Decimal128('${this._text}')`; }
  static fromString(text) { return new Decimal128(text); }
  static fromStringWithRounding(text) { return new Decimal128(text); }
}

// MARK: - Binary, Timestamp and the rest

class Binary {
  constructor(buffer, subType = 0) {
    if (buffer === undefined || buffer === null) buffer = Buffer.alloc(0);
    if (typeof buffer === 'string') buffer = Buffer.from(buffer, 'latin1');
    else if (buffer instanceof ArrayBuffer) buffer = Buffer.from(buffer);
    else if (Array.isArray(buffer)) buffer = Buffer.from(buffer);
    else if (ArrayBuffer.isView(buffer)) buffer = Buffer.from(buffer.buffer, buffer.byteOffset, buffer.byteLength);
    else throw new BSONError('Binary takes a Buffer, a Uint8Array, an array of bytes or a string');
    this.buffer = Buffer.from(buffer);
    this.sub_type = subType;
    this.position = this.buffer.length;
  }
  get _bsontype() { return 'Binary'; }
  get subType() { return this.sub_type; }
  length() { return this.buffer.length; }
  value() { return this.buffer.toString('latin1'); }
  read(position, length) { return this.buffer.subarray(position, position + length); }
  toString(encoding = 'hex') { return this.buffer.toString(encoding); }
  toJSON() { return this.buffer.toString('base64'); }
  equals(other) {
    return other instanceof Binary && other.sub_type === this.sub_type && other.buffer.equals(this.buffer);
  }
  [inspect]() { return `Binary.createFromBase64('${this.buffer.toString('base64')}', ${this.sub_type})`; }
  static createFromBase64(text, subType = 0) { return new Binary(Buffer.from(text, 'base64'), subType); }
  static createFromHexString(text, subType = 0) { return new Binary(Buffer.from(text, 'hex'), subType); }
}
Object.assign(Binary, {
  SUBTYPE_DEFAULT: 0, SUBTYPE_FUNCTION: 1, SUBTYPE_BYTE_ARRAY: 2, SUBTYPE_UUID_OLD: 3, SUBTYPE_UUID: 4,
  SUBTYPE_MD5: 5, SUBTYPE_ENCRYPTED: 6, SUBTYPE_COLUMN: 7, SUBTYPE_SENSITIVE: 8, SUBTYPE_USER_DEFINED: 128,
});

class UUID extends Binary {
  constructor(input) {
    let bytes;
    if (input === undefined || input === null) bytes = crypto.randomBytes(16);
    else if (typeof input === 'string' && /^[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}$/.test(input)) {
      bytes = Buffer.from(input.replace(/-/g, ''), 'hex');
    } else if (input instanceof Uint8Array && input.length === 16) bytes = Buffer.from(input);
    else if (input instanceof Binary && input.buffer.length === 16) bytes = input.buffer;
    else throw new BSONError('UUID takes a 32-digit hex string (dashes allowed), 16 bytes or nothing');
    if (input === undefined || input === null) {
      bytes[6] = (bytes[6] & 0x0f) | 0x40;
      bytes[8] = (bytes[8] & 0x3f) | 0x80;
    }
    super(bytes, Binary.SUBTYPE_UUID);
  }
  toHexString(dashes = true) {
    const hex = this.buffer.toString('hex');
    return dashes ? `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}` : hex;
  }
  toString(encoding) { return encoding ? this.buffer.toString(encoding) : this.toHexString(); }
  toJSON() { return this.toHexString(); }
  [inspect]() { return `new UUID('${this.toHexString()}')`; }
}

class Timestamp {
  constructor(low, high) {
    if (low && typeof low === 'object' && 't' in low && 'i' in low) {
      this.t = Number(low.t) >>> 0;
      this.i = Number(low.i) >>> 0;
    } else if (typeof low === 'bigint' || low instanceof Long) {
      const value = BigInt.asUintN(64, typeof low === 'bigint' ? low : low.toBigInt());
      this.t = Number(value >> 32n);
      this.i = Number(value & 0xffffffffn);
    } else {
      this.i = Number(low ?? 0) >>> 0;
      this.t = Number(high ?? 0) >>> 0;
    }
  }
  get _bsontype() { return 'Timestamp'; }
  getHighBits() { return this.t; }
  getLowBits() { return this.i; }
  toString() { return ((BigInt(this.t) << 32n) | BigInt(this.i)).toString(); }
  toJSON() { return { $timestamp: this.toString() }; }
  equals(other) { return other instanceof Timestamp && other.t === this.t && other.i === this.i; }
  [inspect]() { return `new Timestamp({ t: ${this.t}, i: ${this.i} })`; }
  static fromNumber(value) { return new Timestamp(BigInt(Math.trunc(value))); }
  static fromInt(value) { return new Timestamp(value | 0, 0); }
  static fromBits(low, high) { return new Timestamp(low, high); }
  static fromString(text) { return new Timestamp(BigInt(text)); }
}

class MinKey {
  get _bsontype() { return 'MinKey'; }
  [inspect]() { return 'new MinKey()'; }
}

class MaxKey {
  get _bsontype() { return 'MaxKey'; }
  [inspect]() { return 'new MaxKey()'; }
}

class BSONRegExp {
  constructor(pattern, options = '') {
    this.pattern = pattern;
    this.options = [...new Set(options)].sort().join('');
  }
  get _bsontype() { return 'BSONRegExp'; }
  [inspect]() { return `new BSONRegExp(${JSON.stringify(this.pattern)}, ${JSON.stringify(this.options)})`; }
}

class Code {
  constructor(code, scope) {
    this.code = typeof code === 'function' ? code.toString() : String(code);
    this.scope = scope ?? null;
  }
  get _bsontype() { return 'Code'; }
}

class DBRef {
  constructor(collection, oid, db, fields) {
    this.collection = collection;
    this.oid = oid;
    this.db = db;
    this.fields = fields || {};
  }
  get _bsontype() { return 'DBRef'; }
  get namespace() { return this.collection; }
}

// MARK: - To canonical Extended JSON

const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;

function doubleText(value) {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return 'Infinity';
  if (value === -Infinity) return '-Infinity';
  if (Object.is(value, -0)) return '-0.0';
  const text = String(value);
  return Number.isInteger(value) && !/e/.test(text) ? text + '.0' : text;
}

function regexOptions(flags) {
  // JavaScript's g, y and d have no BSON meaning; s (dotAll) and u map to BSON's s and u.
  return [...new Set(flags.split('').filter(flag => 'imsu'.includes(flag)))].sort().join('');
}

function binaryJSON(bytes, subType) {
  return { $binary: { base64: Buffer.from(bytes).toString('base64'), subType: (subType & 0xff).toString(16).padStart(2, '0') } };
}

/**
 * The canonical Extended JSON tree of `value`, ready for JSON.stringify.
 *
 * `undefined` becomes null and functions are left out, as the driver does by default.
 */
function toExtendedJSON(value, seen = new Set()) {
  if (value === null || value === undefined) return null;
  switch (typeof value) {
    case 'boolean':
    case 'string':
      return value;
    case 'number':
      if (Number.isInteger(value) && value >= INT32_MIN && value <= INT32_MAX && !Object.is(value, -0)) {
        return { $numberInt: String(value) };
      }
      return { $numberDouble: doubleText(value) };
    case 'bigint':
      if (value < INT64_MIN || value > INT64_MAX) throw new BSONError(`${value}n does not fit in a 64-bit integer`);
      return { $numberLong: value.toString() };
    case 'function':
    case 'symbol':
      return undefined;
    default:
      break;
  }
  if (value instanceof Date) {
    const time = value.getTime();
    if (Number.isNaN(time)) throw new BSONError('an invalid Date cannot be stored');
    return { $date: { $numberLong: String(time) } };
  }
  if (value instanceof RegExp) {
    return { $regularExpression: { pattern: value.source, options: regexOptions(value.flags) } };
  }
  if (Buffer.isBuffer(value) || value instanceof Uint8Array) return binaryJSON(value, 0);
  if (value instanceof ArrayBuffer) return binaryJSON(Buffer.from(value), 0);
  switch (value._bsontype) {
    case 'ObjectId':
    case 'ObjectID':
      return { $oid: String(value.toHexString()).toLowerCase() };
    case 'Long':
      return { $numberLong: value.toString() };
    case 'Int32':
      return { $numberInt: String(Number(value.value) | 0) };
    case 'Double':
      return { $numberDouble: doubleText(Number(value.value)) };
    case 'Decimal128':
      return { $numberDecimal: value.toString() };
    case 'Binary':
      return binaryJSON(value.buffer, value.sub_type ?? 0);
    case 'Timestamp':
      return { $timestamp: { t: Number(value.t ?? value.high) >>> 0, i: Number(value.i ?? value.low) >>> 0 } };
    case 'MinKey':
      return { $minKey: 1 };
    case 'MaxKey':
      return { $maxKey: 1 };
    case 'BSONRegExp':
      return { $regularExpression: { pattern: value.pattern, options: value.options } };
    case 'Code':
      return value.scope ? { $code: value.code, $scope: toExtendedJSON(value.scope, seen) } : { $code: value.code };
    case 'DBRef': {
      const ref = { $ref: value.collection, $id: toExtendedJSON(value.oid, seen) };
      if (value.db) ref.$db = value.db;
      for (const [key, field] of Object.entries(value.fields || {})) ref[key] = toExtendedJSON(field, seen);
      return ref;
    }
    case 'BSONSymbol':
      return { $symbol: String(value.value ?? value) };
    default:
      break;
  }
  if (seen.has(value)) throw new BSONError('a document cannot contain itself (cyclic reference)');
  seen.add(value);
  try {
    if (Array.isArray(value)) {
      return value.map(element => {
        const converted = toExtendedJSON(element, seen);
        return converted === undefined ? null : converted;
      });
    }
    if (typeof value.toBSON === 'function') return toExtendedJSON(value.toBSON(), seen);
    const entries = value instanceof Map ? [...value.entries()] : Object.entries(value);
    const result = {};
    for (const [key, field] of entries) {
      if (typeof key !== 'string') throw new BSONError('a document key must be a string');
      if (key.includes('\0')) throw new BSONError(`the key ${JSON.stringify(key)} contains a null byte`);
      const converted = toExtendedJSON(field, seen);
      if (converted === undefined) continue;
      defineField(result, key, converted);
    }
    return result;
  } finally {
    seen.delete(value);
  }
}

function defineField(object, key, value) {
  if (key === '__proto__') Object.defineProperty(object, key, { value, enumerable: true, writable: true, configurable: true });
  else object[key] = value;
}

// MARK: - From canonical Extended JSON

function only(object, keys) {
  const own = Object.keys(object);
  return own.length === keys.length && keys.every(key => own.includes(key));
}

/** The JavaScript value of a canonical Extended JSON tree, with the driver's default promotions. */
function fromExtendedJSON(value) {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(fromExtendedJSON);
  const keys = Object.keys(value);
  if (keys.length > 0 && keys[0].startsWith('$')) {
    if (only(value, ['$oid']) && typeof value.$oid === 'string') return new ObjectId(value.$oid);
    if (only(value, ['$numberInt']) && typeof value.$numberInt === 'string') return parseInt(value.$numberInt, 10);
    if (only(value, ['$numberDouble']) && typeof value.$numberDouble === 'string') return Number(value.$numberDouble);
    if (only(value, ['$numberLong']) && typeof value.$numberLong === 'string') {
      const long = BigInt(value.$numberLong);
      return long >= BigInt(Number.MIN_SAFE_INTEGER) && long <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(long) : new Long(long);
    }
    if (only(value, ['$numberDecimal']) && typeof value.$numberDecimal === 'string') return new Decimal128(value.$numberDecimal);
    if (only(value, ['$binary']) && value.$binary && typeof value.$binary.base64 === 'string') {
      return Binary.createFromBase64(value.$binary.base64, parseInt(value.$binary.subType, 16));
    }
    if (only(value, ['$date'])) {
      const date = value.$date;
      if (date && typeof date === 'object' && typeof date.$numberLong === 'string') return new Date(Number(date.$numberLong));
      if (typeof date === 'string' || typeof date === 'number') return new Date(date);
    }
    if (only(value, ['$timestamp']) && value.$timestamp && 't' in value.$timestamp) return new Timestamp(value.$timestamp);
    if (only(value, ['$regularExpression']) && value.$regularExpression) {
      const { pattern, options } = value.$regularExpression;
      if (/^[ims]*$/.test(options)) {
        try {
          return new RegExp(pattern, options);
        } catch {
          // Not a JavaScript pattern: keep it as BSON.
        }
      }
      return new BSONRegExp(pattern, options);
    }
    if (only(value, ['$minKey'])) return new MinKey();
    if (only(value, ['$maxKey'])) return new MaxKey();
    if (only(value, ['$code'])) return new Code(value.$code);
    if (only(value, ['$code', '$scope'])) return new Code(value.$code, fromExtendedJSON(value.$scope));
    if (only(value, ['$symbol'])) return value.$symbol;
    if (only(value, ['$undefined'])) return null;
  }
  const result = {};
  for (const key of keys) defineField(result, key, fromExtendedJSON(value[key]));
  return result;
}

module.exports = {
  BSONError, ObjectId, ObjectID: ObjectId, Long, Int32, Double, Decimal128, Binary, UUID, Timestamp, MinKey, MaxKey,
  BSONRegExp, Code, DBRef, toExtendedJSON, fromExtendedJSON,
};
