package io.apex.migrator.cli;

/** Thrown by a command that is part of the CLI tree but whose capability has not landed yet. */
public final class NotImplementedException extends RuntimeException {

    public NotImplementedException(String command) {
        super("'" + command + "' is not implemented yet");
    }
}
