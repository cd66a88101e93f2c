// npm webdav-server for the storage-webdav tests: node server.js PORT DIRECTORY USER PASSWORD PIDFILE
'use strict';
const fs = require('fs');
const { v2: webdav } = require('webdav-server');

// webdav-server 2.6.3 answers a PROPPATCH of several <set> elements, then tries to answer it again
// and throws ERR_HTTP_HEADERS_SENT outside any handler: log it and keep serving
process.on('uncaughtException', (error) => {
  console.error('uncaught exception in webdav-server (kept running):', error);
});

const [port, directory, user, password, pidFile] = process.argv.slice(2);
const users = new webdav.SimpleUserManager();
const account = users.addUser(user, password, false);
const privileges = new webdav.SimplePathPrivilegeManager();
privileges.setRights(account, '/', ['all']);

const server = new webdav.WebDAVServer({
  hostname: '127.0.0.1',
  port: Number(port),
  httpAuthentication: new webdav.HTTPBasicAuthentication(users, 'webdav-tests'),
  privilegeManager: privileges,
  rootFileSystem: new webdav.PhysicalFileSystem(directory),
});
server.start((httpServer) => {
  fs.writeFileSync(pidFile, String(process.pid));
  console.log('listening on 127.0.0.1:' + httpServer.address().port);
});
