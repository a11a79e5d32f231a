package io.apex.migrator.qdrant;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MemoryEstimateTest {

    @Test
    void theSeedsSixtySixVectorsOf1536DimensionsAre396KbAsFloat32And99KbAsInt8() {
        // when
        MemoryEstimate seed = new MemoryEstimate(66, 1536);

        // then
        assertThat(MemoryEstimate.format(seed.float32Bytes())).isEqualTo("396.0 KB");
        assertThat(MemoryEstimate.format(seed.int8Bytes())).isEqualTo("99.0 KB");
        assertThat(MemoryEstimate.format(seed.savedBytes())).isEqualTo("297.0 KB");
    }

    @Test
    void largeCollectionsUseLargerUnits() {
        assertThat(MemoryEstimate.format(new MemoryEstimate(1_000_000, 1536).float32Bytes())).isEqualTo("5.7 GB");
        assertThat(MemoryEstimate.format(0)).isEqualTo("0 B");
    }
}
