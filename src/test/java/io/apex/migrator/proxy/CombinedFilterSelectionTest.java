package io.apex.migrator.proxy;

import static io.qdrant.client.ConditionFactory.matchKeyword;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.qdrant.client.grpc.Common.Filter;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A poll's filter writes become one read per API: each distinct filter once, any of them. */
class CombinedFilterSelectionTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void repeatedFiltersAreReadOncePerApi() throws Exception {
        // given
        Filter alice = Filter.newBuilder().addMust(matchKeyword("owner", "alice")).build();
        Filter bob = Filter.newBuilder().addMust(matchKeyword("owner", "bob")).build();
        String carol = "{\"must\":[{\"key\":\"owner\",\"match\":{\"value\":\"carol\"}}]}";

        // when
        List<CaptureEffect.FilterSelection> combined = CaptureEffect.FilterSelection.combined(List.of(
                new GrpcCaptureEffects.Selection(alice), new GrpcCaptureEffects.Selection(bob),
                new GrpcCaptureEffects.Selection(alice), new RestCaptureEffects.Selection(JSON.readTree(carol)),
                new RestCaptureEffects.Selection(JSON.readTree(carol))));

        // then
        assertThat(combined).hasSize(2);
        Filter grpc = ((GrpcCaptureEffects.Selection) combined.get(0)).filter();
        assertThat(grpc.getShouldList()).extracting(c -> c.getFilter()).containsExactly(alice, bob);
        assertThat(((RestCaptureEffects.Selection) combined.get(1)).filter()).isEqualTo(JSON.readTree(carol));
    }
}
