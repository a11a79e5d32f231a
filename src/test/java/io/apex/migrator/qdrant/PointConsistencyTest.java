package io.apex.migrator.qdrant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.qdrant.client.grpc.Points.ReadConsistencyType;
import io.qdrant.client.grpc.Points.WriteOrderingType;
import org.junit.jupiter.api.Test;

class PointConsistencyTest {

    @Test
    void theDefaultReadsByMajorityAndWritesWeakly() {
        // when
        PointConsistency c = PointConsistency.DEFAULT;

        // then
        assertThat(c.read().getType()).isEqualTo(ReadConsistencyType.Majority);
        assertThat(c.write().getType()).isEqualTo(WriteOrderingType.Weak);
        assertThat(QdrantSettings.of("localhost", 6334).consistency()).isEqualTo(c);
    }

    @Test
    void everyQdrantLevelParsesInAnyCaseAndANumberIsAFactor() {
        // when / then
        assertThat(PointConsistency.parse("ALL", "strong").read().getType()).isEqualTo(ReadConsistencyType.All);
        assertThat(PointConsistency.parse("quorum", "Medium").write().getType()).isEqualTo(WriteOrderingType.Medium);
        assertThat(PointConsistency.parse(" 3 ", "weak").read().getFactor()).isEqualTo(3);
        assertThat(PointConsistency.parse("2", "strong")).hasToString("read=2, write=strong");
    }

    @Test
    void anUnknownLevelIsRefusedNamingWhatIsAllowed() {
        assertThatThrownBy(() -> PointConsistency.parse("most", "weak"))
                .hasMessageContaining("majority, quorum, all or a number").hasMessageContaining("'most'");
        assertThatThrownBy(() -> PointConsistency.parse("0", "weak")).hasMessageContaining(">= 1");
        assertThatThrownBy(() -> PointConsistency.parse("majority", "eventual"))
                .hasMessageContaining("weak, medium or strong").hasMessageContaining("'eventual'");
    }
}
