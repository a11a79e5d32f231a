package io.apex.migrator.schema;

/** Which way a run moved the schema. */
public enum Direction { UP, DOWN }
