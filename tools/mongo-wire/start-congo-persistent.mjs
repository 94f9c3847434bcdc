// Starts CongoDB exactly as start-congo.mjs does (same patches), but keeping its data in a file across restarts, for
// the tests that restart the MongoDB-wire server while jobs run: `node start-congo-persistent.mjs PORT FILE`.
//
// CongoDB 2.2.0's in-memory storage has a persistence option of its own (MemoryStorageAdapter `persistPath`:
// restored at start, written on stop and every `persistIntervalMs`), but it writes the snapshot with JSON.stringify and
// restores only `_id`: every other BSON value (dates, ObjectIds, Int64...) comes back as a string or a plain object.
// (Its other option, `storage: 'file'`, has the same loss and rewrites a whole collection file per operation without
// any locking across connections.) This script keeps the built-in snapshot points but writes the snapshot as
// canonical Extended JSON, synchronously and atomically (temporary file + rename), and restores each document through
// a BSON round trip, so it comes back exactly as the wire decoder produced it. SIGTERM/SIGINT = stop = snapshot.
// A SIGKILL loses everything since the last snapshot (written on stop only): like a mongod without a journal.
import fs from 'node:fs';
import { MemoryStorageAdapter } from '@push.rocks/smartmongo/dist_ts/congodb/storage/MemoryStorageAdapter.js';
import * as plugins from '@push.rocks/smartmongo/dist_ts/congodb/congodb.plugins.js';

const { bson } = plugins;
const { EJSON } = bson;
const file = process.argv[3] || process.env.CONGO_PERSIST_FILE;
if (!file) {
  console.error('usage: node start-congo-persistent.mjs PORT FILE');
  process.exit(2);
}

MemoryStorageAdapter.prototype.initialize = async function initialize() {
  this.persistPath = file;
  await this.restore();
};

MemoryStorageAdapter.prototype.persist = async function persist() {
  const data = { databases: {}, indexes: {}, opLogCounter: this.opLogCounter };
  for (const [dbName, collections] of this.databases) {
    data.databases[dbName] = {};
    for (const [collName, docs] of collections) {
      // [storage key, document] pairs: the keys are kept as CongoDB made them.
      data.databases[dbName][collName] = Array.from(docs.entries());
    }
  }
  for (const [dbName, collIndexes] of this.indexes) {
    data.indexes[dbName] = Object.fromEntries(collIndexes);
  }
  const temporary = `${file}.tmp`;
  fs.writeFileSync(temporary, EJSON.stringify(data, { relaxed: false }));
  fs.renameSync(temporary, file);
};

MemoryStorageAdapter.prototype.restore = async function restore() {
  if (!fs.existsSync(file)) {
    return;
  }
  const data = EJSON.parse(fs.readFileSync(file, 'utf8'), { relaxed: false });
  this.databases.clear();
  this.indexes.clear();
  for (const [dbName, collections] of Object.entries(data.databases ?? {})) {
    const dbMap = new Map();
    this.databases.set(dbName, dbMap);
    for (const [collName, docs] of Object.entries(collections)) {
      const collMap = new Map();
      for (const [key, doc] of docs) {
        collMap.set(key, bson.deserialize(bson.serialize(doc)));
      }
      dbMap.set(collName, collMap);
    }
  }
  for (const [dbName, collIndexes] of Object.entries(data.indexes ?? {})) {
    this.indexes.set(dbName, new Map(Object.entries(collIndexes)));
  }
  this.opLogCounter = data.opLogCounter ?? 0;
  console.log(`congodb restored ${file}`);
};

await import('./start-congo.mjs');
