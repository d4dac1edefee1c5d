// An independent client of the generic event source contract: grpc-js + proto-loader, loading the upstream
// generic.proto, so the FTP event server is checked by code that is not ours.
// usage: node stream.js <host:port> <event name> <config file> <proto file>
// Prints one JSON line per event ({"name", "payload"} with the payload parsed as JSON), then one line
// {"end": {"code", "details"}} when the stream ends, and exits 0. SIGTERM cancels the call.
'use strict';
const fs = require('fs');
const grpc = require('@grpc/grpc-js');
const protoLoader = require('@grpc/proto-loader');

const [address, name, configFile, protoFile] = process.argv.slice(2);
const definition = protoLoader.loadSync(protoFile, { keepCase: true, longs: String, enums: String, defaults: true });
const generic = grpc.loadPackageDefinition(definition).generic;
const client = new generic.Eventing(address, grpc.credentials.createInsecure());
const call = client.StartEventSource({ name, config: fs.readFileSync(configFile) });

function print(obj) { process.stdout.write(JSON.stringify(obj) + '\n'); }

call.on('data', (event) => {
  let payload;
  try { payload = JSON.parse(Buffer.from(event.payload).toString('utf8')); } catch (e) { payload = { unparsable: Buffer.from(event.payload).toString('base64') }; }
  print({ name: event.name, payload });
});
call.on('error', (err) => { print({ end: { code: err.code, details: err.details } }); process.exit(0); });
call.on('end', () => { print({ end: { code: 0, details: '' } }); process.exit(0); });
process.on('SIGTERM', () => call.cancel());
print({ started: true });
