/**
 * The WebDAV backend: RFC 4918 servers (Apache httpd with mod_dav, and others) on Reactor Netty's
 * HTTP client.
 */
@NullMarked
package dev.objectstorage.webdav;

import org.jspecify.annotations.NullMarked;
