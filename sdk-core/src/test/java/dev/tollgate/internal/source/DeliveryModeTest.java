package dev.tollgate.internal.source;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.internal.source.DeliveryMode.Event;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The server source's protocol as a table: every mode, every event, the next mode. */
class DeliveryModeTest {
    @ParameterizedTest(name = "{0} + {1} -> {2}")
    @CsvSource({
        "NEW,       START,          POLLING",
        "NEW,       STREAM_OPENED,  NEW",
        "NEW,       STREAM_DROPPED, NEW",
        "NEW,       REFUSED,        NEW",
        "NEW,       CLOSE,          CLOSED",
        "POLLING,   START,          POLLING",
        "POLLING,   STREAM_OPENED,  STREAMING",
        "POLLING,   STREAM_DROPPED, POLLING",
        "POLLING,   REFUSED,        STOPPED",
        "POLLING,   CLOSE,          CLOSED",
        "STREAMING, START,          STREAMING",
        "STREAMING, STREAM_OPENED,  STREAMING",
        "STREAMING, STREAM_DROPPED, POLLING",
        "STREAMING, REFUSED,        STOPPED",
        "STREAMING, CLOSE,          CLOSED",
        "STOPPED,   START,          STOPPED",
        "STOPPED,   STREAM_OPENED,  STOPPED",
        "STOPPED,   STREAM_DROPPED, STOPPED",
        "STOPPED,   REFUSED,        STOPPED",
        "STOPPED,   CLOSE,          CLOSED",
        "CLOSED,    START,          CLOSED",
        "CLOSED,    STREAM_OPENED,  CLOSED",
        "CLOSED,    STREAM_DROPPED, CLOSED",
        "CLOSED,    REFUSED,        CLOSED",
        "CLOSED,    CLOSE,          CLOSED",
    })
    void on_event_movesToTheNextMode(DeliveryMode mode, Event event, DeliveryMode next) {
        assertThat(mode.on(event)).isEqualTo(next);
    }

    @ParameterizedTest(name = "{0} active: {1}")
    @CsvSource({"NEW, false", "POLLING, true", "STREAMING, true", "STOPPED, false", "CLOSED, false"})
    void active_onlyWhilePollingOrStreaming(DeliveryMode mode, boolean active) {
        assertThat(mode.active()).isEqualTo(active);
    }
}
