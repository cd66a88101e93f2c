/**
 * The behaviour test suite (TCK): {@link dev.objectstorage.tck.StorageBehaviourTests}, which every
 * backend's tests extend, and the groups of cases it is made of.
 */
package dev.objectstorage.tck;
