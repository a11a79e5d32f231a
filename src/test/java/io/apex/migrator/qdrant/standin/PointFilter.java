package io.apex.migrator.qdrant.standin;

import io.qdrant.client.grpc.Common.Condition;
import io.qdrant.client.grpc.Common.FieldCondition;
import io.qdrant.client.grpc.Common.Filter;
import io.qdrant.client.grpc.Common.Match;
import io.qdrant.client.grpc.Common.Range;
import io.qdrant.client.grpc.Common.ValuesCount;
import io.qdrant.client.grpc.JsonWithInt.Value;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Qdrant's filter semantics over stored points: must (all), should (at least one, when present), must_not
 * (none), min_should (at least min_count); field conditions on payload values (match keyword / integer /
 * bool / any-of / except / text, range, values_count, is_empty, is_null), has_id, has_vector and nested
 * filters. Conditions the stand-in does not model (geo, datetime, nested arrays) fail loudly.
 */
final class PointFilter implements Predicate<StoredPoint> {

    private final Filter filter;

    private PointFilter(Filter filter) {
        this.filter = filter;
    }

    static Predicate<StoredPoint> of(Filter filter) {
        if (filter == null || filter.equals(Filter.getDefaultInstance())) {
            return p -> true;
        }
        return new PointFilter(filter);
    }

    @Override
    public boolean test(StoredPoint point) {
        return matches(filter, point);
    }

    private static boolean matches(Filter f, StoredPoint point) {
        for (Condition c : f.getMustList()) {
            if (!matches(c, point)) {
                return false;
            }
        }
        for (Condition c : f.getMustNotList()) {
            if (matches(c, point)) {
                return false;
            }
        }
        if (f.getShouldCount() > 0 && f.getShouldList().stream().noneMatch(c -> matches(c, point))) {
            return false;
        }
        if (f.hasMinShould()) {
            long hits = f.getMinShould().getConditionsList().stream().filter(c -> matches(c, point)).count();
            return hits >= f.getMinShould().getMinCount();
        }
        return true;
    }

    private static boolean matches(Condition c, StoredPoint point) {
        return switch (c.getConditionOneOfCase()) {
            case FIELD -> matches(c.getField(), point);
            case HAS_ID -> c.getHasId().getHasIdList().stream().map(PointKey::of).anyMatch(point.key()::equals);
            case FILTER -> matches(c.getFilter(), point);
            case IS_EMPTY -> isEmpty(point, c.getIsEmpty().getKey());
            case IS_NULL -> isNull(point, c.getIsNull().getKey());
            case HAS_VECTOR -> point.dense().containsKey(c.getHasVector().getHasVector())
                    || point.sparse().containsKey(c.getHasVector().getHasVector());
            case NESTED -> throw StandInErrors.unsupported("nested conditions");
            case CONDITIONONEOF_NOT_SET -> throw StandInErrors.invalid("Wrong input: empty filter condition");
        };
    }

    private static boolean matches(FieldCondition f, StoredPoint point) {
        List<Value> values = PayloadPaths.values(point.payload(), f.getKey());
        if (f.hasMatch()) {
            return match(f.getMatch(), values);
        }
        if (f.hasRange()) {
            return values.stream().anyMatch(v -> number(v) != null && inRange(f.getRange(), number(v)));
        }
        if (f.hasDatetimeRange()) {
            return values.stream().anyMatch(v -> instant(v) != null && inRange(f.getDatetimeRange(), instant(v)));
        }
        if (f.hasValuesCount()) {
            return countMatches(f.getValuesCount(), values.size());
        }
        if (f.hasIsEmpty()) {
            return isEmpty(point, f.getKey()) == f.getIsEmpty();
        }
        if (f.hasIsNull()) {
            return isNull(point, f.getKey()) == f.getIsNull();
        }
        throw StandInErrors.unsupported("this field condition on `" + f.getKey() + "` (geo)");
    }

    private static boolean match(Match m, List<Value> values) {
        return switch (m.getMatchValueCase()) {
            case KEYWORD -> values.stream().anyMatch(v -> v.hasStringValue() && v.getStringValue().equals(m.getKeyword()));
            case INTEGER -> values.stream().anyMatch(v -> v.hasIntegerValue() && v.getIntegerValue() == m.getInteger());
            case BOOLEAN -> values.stream().anyMatch(v -> v.hasBoolValue() && v.getBoolValue() == m.getBoolean());
            case KEYWORDS -> {
                Set<String> any = new HashSet<>(m.getKeywords().getStringsList());
                yield values.stream().anyMatch(v -> v.hasStringValue() && any.contains(v.getStringValue()));
            }
            case INTEGERS -> {
                Set<Long> any = new HashSet<>(m.getIntegers().getIntegersList());
                yield values.stream().anyMatch(v -> v.hasIntegerValue() && any.contains(v.getIntegerValue()));
            }
            case EXCEPT_KEYWORDS -> {
                Set<String> none = new HashSet<>(m.getExceptKeywords().getStringsList());
                yield values.stream().noneMatch(v -> v.hasStringValue() && none.contains(v.getStringValue()));
            }
            case EXCEPT_INTEGERS -> {
                Set<Long> none = new HashSet<>(m.getExceptIntegers().getIntegersList());
                yield values.stream().noneMatch(v -> v.hasIntegerValue() && none.contains(v.getIntegerValue()));
            }
            case TEXT, PHRASE -> {
                String needle = m.hasText() ? m.getText() : m.getPhrase();
                yield values.stream().anyMatch(v -> v.hasStringValue() && v.getStringValue().contains(needle));
            }
            case TEXT_ANY -> {
                List<String> tokens = List.of(m.getTextAny().split("\\s+"));
                yield values.stream().anyMatch(v -> v.hasStringValue()
                        && tokens.stream().anyMatch(t -> !t.isEmpty() && v.getStringValue().contains(t)));
            }
            case MATCHVALUE_NOT_SET -> throw StandInErrors.invalid("Wrong input: empty match condition");
        };
    }

    private static Double number(Value v) {
        if (v.hasIntegerValue()) {
            return (double) v.getIntegerValue();
        }
        return v.hasDoubleValue() ? v.getDoubleValue() : null;
    }

    /**
     * A payload datetime as Qdrant reads one: an RFC 3339 string, with or without offset (then UTC), or a date;
     * anything else is not a datetime and matches no datetime range.
     */
    private static java.time.Instant instant(Value v) {
        if (!v.hasStringValue()) {
            return null;
        }
        String text = v.getStringValue().trim().replace(' ', 'T');
        try {
            return java.time.OffsetDateTime.parse(text).toInstant();
        } catch (java.time.format.DateTimeParseException notOffset) {
            try {
                return java.time.LocalDateTime.parse(text).toInstant(java.time.ZoneOffset.UTC);
            } catch (java.time.format.DateTimeParseException notLocal) {
                try {
                    return java.time.LocalDate.parse(text).atStartOfDay().toInstant(java.time.ZoneOffset.UTC);
                } catch (java.time.format.DateTimeParseException notDate) {
                    return null;
                }
            }
        }
    }

    private static boolean inRange(io.qdrant.client.grpc.Common.DatetimeRange r, java.time.Instant x) {
        return (!r.hasLt() || x.isBefore(seconds(r.getLt()))) && (!r.hasGt() || x.isAfter(seconds(r.getGt())))
                && (!r.hasLte() || !x.isAfter(seconds(r.getLte()))) && (!r.hasGte() || !x.isBefore(seconds(r.getGte())));
    }

    private static java.time.Instant seconds(com.google.protobuf.Timestamp t) {
        return java.time.Instant.ofEpochSecond(t.getSeconds(), t.getNanos());
    }

    private static boolean inRange(Range r, double x) {
        return (!r.hasLt() || x < r.getLt()) && (!r.hasGt() || x > r.getGt())
                && (!r.hasLte() || x <= r.getLte()) && (!r.hasGte() || x >= r.getGte());
    }

    private static boolean countMatches(ValuesCount r, long n) {
        return (!r.hasLt() || n < r.getLt()) && (!r.hasGt() || n > r.getGt())
                && (!r.hasLte() || n <= r.getLte()) && (!r.hasGte() || n >= r.getGte());
    }

    private static boolean isEmpty(StoredPoint point, String key) {
        return PayloadPaths.values(point.payload(), key).stream().allMatch(Value::hasNullValue);
    }

    private static boolean isNull(StoredPoint point, String key) {
        List<Value> values = PayloadPaths.values(point.payload(), key);
        return !values.isEmpty() && values.stream().allMatch(Value::hasNullValue);
    }
}
