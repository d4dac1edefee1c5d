// s3rver with its object events forwarded: s3rver answers PutBucketNotificationConfiguration with 501 and delivers
// nothing itself, but it emits an S3 event record for every put, copy and delete. Each one is POSTed as JSON
// ({"Records": [...]}) to the URL given with --notify (the local AWS endpoint's /_argoetl/s3/events), which applies the
// bucket's notification configuration as S3 would.
// node notify.js --directory DIR --port PORT --notify URL
'use strict';
const http = require('http');
const S3rver = require('s3rver');

const arg = name => { const i = process.argv.indexOf('--' + name); return i < 0 ? undefined : process.argv[i + 1]; };
const notify = new URL(arg('notify'));
const server = new S3rver({ directory: arg('directory'), address: '127.0.0.1', port: Number(arg('port')), silent: true });

server.on('event', event => {
  const body = JSON.stringify(event);
  const request = http.request(notify, { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } },
    response => { response.resume(); if (response.statusCode >= 300) console.error(`notify answered ${response.statusCode}`); });
  request.on('error', error => console.error(`notify failed: ${error.message}`));
  request.end(body);
});

server.run().then(address => console.log(`listening on ${address.address}:${address.port}`), error => { console.error(error); process.exit(1); });
