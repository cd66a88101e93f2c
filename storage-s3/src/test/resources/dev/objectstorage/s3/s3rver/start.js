// Starts s3rver for the storage-s3 tests: node --openssl-legacy-provider start.js <port> <directory> <bucket>...
// Listens on 127.0.0.1 only; keeps its objects under <directory>; creates the buckets; prints one
// line "s3rver listening on 127.0.0.1:<port>" once it accepts requests. Stopped by a signal.
'use strict';

const S3rver = require('s3rver');

const [port, directory, ...buckets] = process.argv.slice(2);
if (!port || !directory || buckets.length === 0) {
  console.error('usage: node --openssl-legacy-provider start.js <port> <directory> <bucket>...');
  process.exit(2);
}

const server = new S3rver({
  address: '127.0.0.1',
  port: Number(port),
  directory,
  silent: true,
  configureBuckets: buckets.map((name) => ({ name })),
});

server.run((error, address) => {
  if (error) {
    console.error('s3rver failed to start:', error);
    process.exit(1);
  }
  console.log(`s3rver listening on ${address.address}:${address.port}`);
});

for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => {
    server.close(() => process.exit(0));
    setTimeout(() => process.exit(0), 2000).unref();
  });
}
