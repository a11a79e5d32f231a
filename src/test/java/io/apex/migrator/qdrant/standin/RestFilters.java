package io.apex.migrator.qdrant.standin;

import com.fasterxml.jackson.databind.JsonNode;
import io.qdrant.client.grpc.Common.Condition;
import io.qdrant.client.grpc.Common.FieldCondition;
import io.qdrant.client.grpc.Common.Filter;
import io.qdrant.client.grpc.Common.HasIdCondition;
import io.qdrant.client.grpc.Common.HasVectorCondition;
import io.qdrant.client.grpc.Common.IsEmptyCondition;
import io.qdrant.client.grpc.Common.IsNullCondition;
import io.qdrant.client.grpc.Common.Match;
import io.qdrant.client.grpc.Common.MinShould;
import io.qdrant.client.grpc.Common.Range;
import io.qdrant.client.grpc.Common.RepeatedIntegers;
import io.qdrant.client.grpc.Common.RepeatedStrings;
import io.qdrant.client.grpc.Common.ValuesCount;
import java.util.function.Consumer;

/**
 * Qdrant's REST filter JSON ({@code must}/{@code should}/{@code must_not} of conditions or one condition,
 * {@code min_should}) as the protobuf {@link Filter} {@link PointFilter} evaluates: field conditions with
 * {@code match} (value, any, except, text), {@code range}, {@code values_count}; {@code is_empty}, {@code is_null},
 * {@code has_id}, {@code has_vector} and nested filters.
 */
final class RestFilters {

    private RestFilters() {
    }

    static Filter filter(JsonNode json) {
        if (!json.isObject()) {
            throw StandInErrors.invalid("Format error in JSON body: filter must be an object");
        }
        Filter.Builder filter = Filter.newBuilder();
        conditions(json.path("must"), filter::addMust);
        conditions(json.path("should"), filter::addShould);
        conditions(json.path("must_not"), filter::addMustNot);
        JsonNode minShould = json.path("min_should");
        if (minShould.isObject()) {
            MinShould.Builder m = MinShould.newBuilder().setMinCount(minShould.path("min_count").asLong());
            conditions(minShould.path("conditions"), m::addConditions);
            filter.setMinShould(m);
        }
        return filter.build();
    }

    private static void conditions(JsonNode json, Consumer<Condition> into) {
        if (json.isArray()) {
            json.forEach(c -> into.accept(condition(c)));
        } else if (json.isObject()) {
            into.accept(condition(json));
        }
    }

    private static Condition condition(JsonNode c) {
        Condition.Builder out = Condition.newBuilder();
        if (c.has("key")) {
            out.setField(field(c));
        } else if (c.has("is_empty")) {
            out.setIsEmpty(IsEmptyCondition.newBuilder().setKey(c.path("is_empty").path("key").asText()));
        } else if (c.has("is_null")) {
            out.setIsNull(IsNullCondition.newBuilder().setKey(c.path("is_null").path("key").asText()));
        } else if (c.has("has_id")) {
            HasIdCondition.Builder ids = HasIdCondition.newBuilder();
            c.path("has_id").forEach(id -> ids.addHasId(RestValues.id(id)));
            out.setHasId(ids);
        } else if (c.has("has_vector")) {
            out.setHasVector(HasVectorCondition.newBuilder().setHasVector(c.path("has_vector").asText()));
        } else if (c.has("nested")) {
            throw StandInErrors.unsupported("nested conditions");
        } else if (c.has("must") || c.has("should") || c.has("must_not") || c.has("min_should")) {
            out.setFilter(filter(c));
        } else {
            throw StandInErrors.invalid("Format error in JSON body: data did not match any variant of Condition");
        }
        return out.build();
    }

    private static FieldCondition field(JsonNode c) {
        FieldCondition.Builder f = FieldCondition.newBuilder().setKey(c.path("key").asText());
        if (c.has("match")) {
            f.setMatch(match(c.path("match")));
        } else if (c.has("range")) {
            JsonNode r = c.path("range");
            Range.Builder range = Range.newBuilder();
            if (r.hasNonNull("gt")) {
                range.setGt(r.path("gt").asDouble());
            }
            if (r.hasNonNull("gte")) {
                range.setGte(r.path("gte").asDouble());
            }
            if (r.hasNonNull("lt")) {
                range.setLt(r.path("lt").asDouble());
            }
            if (r.hasNonNull("lte")) {
                range.setLte(r.path("lte").asDouble());
            }
            f.setRange(range);
        } else if (c.has("values_count")) {
            JsonNode r = c.path("values_count");
            ValuesCount.Builder count = ValuesCount.newBuilder();
            if (r.hasNonNull("gt")) {
                count.setGt(r.path("gt").asLong());
            }
            if (r.hasNonNull("gte")) {
                count.setGte(r.path("gte").asLong());
            }
            if (r.hasNonNull("lt")) {
                count.setLt(r.path("lt").asLong());
            }
            if (r.hasNonNull("lte")) {
                count.setLte(r.path("lte").asLong());
            }
            f.setValuesCount(count);
        } else {
            throw StandInErrors.unsupported("this field condition on `" + c.path("key").asText() + "`: " + c);
        }
        return f.build();
    }

    private static Match match(JsonNode m) {
        Match.Builder match = Match.newBuilder();
        if (m.has("value")) {
            JsonNode v = m.path("value");
            if (v.isBoolean()) {
                match.setBoolean(v.asBoolean());
            } else if (v.isIntegralNumber()) {
                match.setInteger(v.asLong());
            } else {
                match.setKeyword(v.asText());
            }
        } else if (m.has("any")) {
            JsonNode any = m.path("any");
            if (!any.isEmpty() && any.get(0).isIntegralNumber()) {
                RepeatedIntegers.Builder ints = RepeatedIntegers.newBuilder();
                any.forEach(v -> ints.addIntegers(v.asLong()));
                match.setIntegers(ints);
            } else {
                RepeatedStrings.Builder strings = RepeatedStrings.newBuilder();
                any.forEach(v -> strings.addStrings(v.asText()));
                match.setKeywords(strings);
            }
        } else if (m.has("except")) {
            JsonNode except = m.path("except");
            if (!except.isEmpty() && except.get(0).isIntegralNumber()) {
                RepeatedIntegers.Builder ints = RepeatedIntegers.newBuilder();
                except.forEach(v -> ints.addIntegers(v.asLong()));
                match.setExceptIntegers(ints);
            } else {
                RepeatedStrings.Builder strings = RepeatedStrings.newBuilder();
                except.forEach(v -> strings.addStrings(v.asText()));
                match.setExceptKeywords(strings);
            }
        } else if (m.has("text")) {
            match.setText(m.path("text").asText());
        } else if (m.has("phrase")) {
            match.setPhrase(m.path("phrase").asText());
        } else {
            throw StandInErrors.invalid("Format error in JSON body: data did not match any variant of Match");
        }
        return match.build();
    }
}
