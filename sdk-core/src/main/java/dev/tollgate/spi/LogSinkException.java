package dev.tollgate.spi;

/** A {@link LogSink} failure, saying whether sending the same batch again may succeed. */
public final class LogSinkException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final boolean retryable;

    public LogSinkException(String message, boolean retryable) {
        super(message);
        this.retryable = retryable;
    }

    public LogSinkException(String message, boolean retryable, Throwable cause) {
        super(message, cause);
        this.retryable = retryable;
    }

    public boolean retryable() {
        return retryable;
    }
}
