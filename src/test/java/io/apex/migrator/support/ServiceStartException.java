package io.apex.migrator.support;

/** A local service could not be started or never became ready; the message carries its log tail. */
public final class ServiceStartException extends RuntimeException {

    public ServiceStartException(String message) {
        super(message);
    }

    public ServiceStartException(String message, Throwable cause) {
        super(message, cause);
    }
}
