// Starts CongoDB (the MongoDB wire-protocol server inside @push.rocks/smartmongo 2.2.0) on loopback for the
// Mrq.Storage.Mongo tests: `node start-congo.mjs [PORT]` (default 27117, or $MONGO_PORT).
//
// The server's own code stays untouched in node_modules; this script patches the instance at start-up to work
// around the gaps listed in shared/reference/infra.md §6 that the tests hit:
//  1. each connection's messages are handled one at a time, in order, and a message flagged moreToCome (w=0)
//     gets no reply (otherwise two handler loops interleave on one socket and replies get out of step);
//  2. a top-level $comment in a filter is stripped (the query engine rejects it as an unknown operator);
//  3. updates keep BSON value objects (Long, Binary, Decimal128...) instead of turning them into plain objects;
//  4. the process exits at most one second after SIGTERM/SIGINT, because stop() can hang.
// Known gaps that stay: no TTL expiry, no unique indexes (other than _id), no transactions, no change streams,
// Int64 values that fit 53 bits come back as doubles, every query scans the whole collection.
import { CongoServer } from '@push.rocks/smartmongo/dist_ts/congodb/index.js';
import { WireProtocol, OP_QUERY, OP_MSG } from '@push.rocks/smartmongo/dist_ts/congodb/server/WireProtocol.js';
import { UpdateEngine } from '@push.rocks/smartmongo/dist_ts/congodb/engine/UpdateEngine.js';
import * as plugins from '@push.rocks/smartmongo/dist_ts/congodb/congodb.plugins.js';

const { bson } = plugins;

const MORE_TO_COME = 1 << 1;
const port = Number(process.env.MONGO_PORT || process.argv[2] || 27117);
const server = new CongoServer({ port, host: '127.0.0.1', storage: 'memory' });

// (3) Keep immutable BSON value types as they are when an update clones a document.
const originalClone = UpdateEngine.deepClone.bind(UpdateEngine);
UpdateEngine.deepClone = (value) => {
  if (value instanceof bson.Long || value instanceof bson.Binary || value instanceof bson.Decimal128
    || value instanceof bson.Double || value instanceof bson.Int32 || value instanceof bson.BSONRegExp
    || value instanceof bson.MinKey || value instanceof bson.MaxKey || value instanceof RegExp) {
    return value;
  }
  if (Array.isArray(value)) {
    return value.map((item) => UpdateEngine.deepClone(item));
  }
  if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    const cloned = {};
    for (const key of Object.keys(value)) {
      cloned[key] = UpdateEngine.deepClone(value[key]);
    }
    return cloned;
  }
  return originalClone(value);
};

// (2) Strip a top-level $comment from every filter a command carries.
const stripComment = (filter) => {
  if (filter !== null && typeof filter === 'object' && '$comment' in filter) {
    delete filter.$comment;
  }
};
const router = server.commandRouter;
const originalRoute = router.route.bind(router);
router.route = (parsed) => {
  const { command, documentSequences } = parsed;
  stripComment(command.filter);
  stripComment(command.query);
  for (const key of ['updates', 'deletes']) {
    const specs = documentSequences?.get(key) ?? command[key];
    if (Array.isArray(specs)) {
      for (const spec of specs) {
        stripComment(spec.q);
      }
    }
  }
  return originalRoute(parsed);
};

// (1) Serialise each connection's messages and honour moreToCome.
server.processMessages = function processMessages(state) {
  state.chain = (state.chain ?? Promise.resolve()).then(() => drain(this, state));
  return state.chain;
};

async function drain(self, state) {
  while (state.buffer.length >= 16) {
    let requestID = 0;
    try {
      const length = state.buffer.readInt32LE(0);
      if (state.buffer.length < length) {
        return;
      }
      requestID = state.buffer.readInt32LE(4);
      const opCode = state.buffer.readInt32LE(12);
      const flagBits = opCode === OP_MSG ? state.buffer.readUInt32LE(16) : 0;
      const parsed = WireProtocol.parseMessage(state.buffer);
      if (!parsed) {
        return;
      }
      state.buffer = state.buffer.subarray(parsed.bytesConsumed);
      const response = await self.commandRouter.route(parsed.command);
      if (flagBits & MORE_TO_COME) {
        continue;
      }
      const reply = parsed.command.opCode === OP_QUERY
        ? WireProtocol.encodeOpReplyResponse(parsed.command.requestID, [response])
        : WireProtocol.encodeOpMsgResponse(parsed.command.requestID, response);
      if (!state.socket.destroyed) {
        state.socket.write(reply);
      }
    } catch (error) {
      if (!state.socket.destroyed) {
        state.socket.write(WireProtocol.encodeErrorResponse(requestID, 1, error?.message || 'Internal error'));
      }
      state.buffer = Buffer.alloc(0);
      return;
    }
  }
}

await server.start();
console.log(`congodb listening on 127.0.0.1:${port}`);

// (4) Exit promptly on a stop signal even when stop() hangs.
const stop = () => {
  setTimeout(() => process.exit(0), 1000).unref();
  server.stop().then(() => process.exit(0), () => process.exit(0));
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
