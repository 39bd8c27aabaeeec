package dev.tollgate.internal.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ContentChecksumTest {
    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void equalBytes_haveEqualChecksums_whateverTheArray() {
        assertThat(ContentChecksum.of(bytes("{\"revision\": 7}")))
                .isEqualTo(ContentChecksum.of(bytes("{\"revision\": 7}")));
    }

    @Test
    void checksum_isTheLengthAndBothCrcsOfTheBytes() {
        // CRC-32 and CRC-32C of "123456789", the check values of both standards.
        assertThat(ContentChecksum.of(bytes("123456789"))).isEqualTo(new ContentChecksum(9, 0xCBF43926, 0xE3069283));
    }

    @Test
    void oneByteChanged_orOneMore_changesTheChecksum() {
        ContentChecksum original = ContentChecksum.of(bytes("{\"revision\": 7}"));

        assertThat(ContentChecksum.of(bytes("{\"revision\": 8}"))).isNotEqualTo(original);
        assertThat(ContentChecksum.of(bytes("{\"revision\": 7} "))).isNotEqualTo(original);
        assertThat(ContentChecksum.of(new byte[0])).isEqualTo(new ContentChecksum(0, 0, 0));
    }

    /** equals and hashCode are written by hand (a cold start would link the record's own): each component counts. */
    @Test
    void equalsAndHashCode_takeEveryComponent() {
        assertThat(ContentChecksum.class.getRecordComponents())
                .extracting(RecordComponent::getName)
                .containsExactly("length", "crc32", "crc32c");
        ContentChecksum checksum = new ContentChecksum(1, 2, 3);

        assertThat(new ContentChecksum(1, 2, 3)).isEqualTo(checksum).hasSameHashCodeAs(checksum);
        assertThat(new ContentChecksum(9, 2, 3)).isNotEqualTo(checksum);
        assertThat(new ContentChecksum(1, 9, 3)).isNotEqualTo(checksum);
        assertThat(new ContentChecksum(1, 2, 9)).isNotEqualTo(checksum);
        assertThat(checksum).isNotEqualTo(null).isNotEqualTo("1 2 3");
    }
}
