/**
 * The SFTP backend: objects as files on an SSH server, over Apache MINA SSHD's SFTP client.
 */
@NullMarked
package dev.objectstorage.sftp;

import org.jspecify.annotations.NullMarked;
