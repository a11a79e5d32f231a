package io.apex.migrator.qdrant.standin;

import io.qdrant.client.grpc.Common.Condition;
import io.qdrant.client.grpc.Common.FieldCondition;
import io.qdrant.client.grpc.Common.Filter;
import io.qdrant.client.grpc.Common.Match;
import io.qdrant.client.grpc.Common.Range;
import io.qdrant.client.grpc.Common.ValuesCount;
import io.qdrant.client.grpc.JsonWithInt.Value;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Qdrant's filter semantics over stored points: must (all), should (at least one, when present), must_not
 * (none), min_should (at least min_count); field conditions on payload values (match keyword / integer /
 * bool / any-of / except / text, range, values_count, is_empty, is_null), has_id, has_vector and nested
 * filters. Conditions the stand-in does not model (geo, datetime, nested arrays) fail loudly.
 */
final class PointFilter {

    private PointFilter() {
    }

    /**
     * The filter compiled into a predicate once (conditions resolved, lists turned into arrays): a scroll evaluates
     * it for every point, and the capture applier's combined filters have hundreds of conditions. Conditions the
     * stand-in cannot evaluate are refused here, before any point is read.
     */
    static Predicate<StoredPoint> of(Filter filter) {
        if (filter == null || filter.equals(Filter.getDefaultInstance())) {
            return p -> true;
        }
        return compile(filter);
    }

    private static Predicate<StoredPoint> compile(Filter f) {
        Predicate<StoredPoint>[] must = compileAll(f.getMustList());
        Predicate<StoredPoint>[] mustNot = compileAll(f.getMustNotList());
        Predicate<StoredPoint> should = f.getShouldCount() == 0 ? null : AnyOf.of(f.getShouldList());
        Predicate<StoredPoint>[] minShould = f.hasMinShould() ? compileAll(f.getMinShould().getConditionsList()) : null;
        long minCount = f.hasMinShould() ? f.getMinShould().getMinCount() : 0;
        return point -> {
            for (Predicate<StoredPoint> c : must) {
                if (!c.test(point)) {
                    return false;
                }
            }
            for (Predicate<StoredPoint> c : mustNot) {
                if (c.test(point)) {
                    return false;
                }
            }
            if (should != null && !should.test(point)) {
                return false;
            }
            if (minShould != null) {
                long hits = 0;
                for (Predicate<StoredPoint> c : minShould) {
                    if (c.test(point)) {
                        hits++;
                    }
                }
                return hits >= minCount;
            }
            return true;
        };
    }

    @SuppressWarnings("unchecked")
    private static Predicate<StoredPoint>[] compileAll(List<Condition> conditions) {
        Predicate<StoredPoint>[] compiled = new Predicate[conditions.size()];
        for (int i = 0; i < compiled.length; i++) {
            compiled[i] = compile(conditions.get(i));
        }
        return compiled;
    }

    /**
     * "At least one of": conditions that require a payload key to equal a keyword or integer (a match on it, or a
     * filter whose must has one) are looked up by the point's values of that key instead of tried one by one; the
     * others are tried in turn. A capture applier's combined filter ("any of these 200 writers' filters") then costs
     * one lookup per point, not 200 evaluations. Same answers: a looked-up condition is still evaluated whole.
     */
    private static final class AnyOf implements Predicate<StoredPoint> {

        private final Map<String, Map<Object, List<Predicate<StoredPoint>>>> byKeyAndValue = new HashMap<>();
        private final List<Predicate<StoredPoint>> others = new ArrayList<>();

        static Predicate<StoredPoint> of(List<Condition> conditions) {
            AnyOf any = new AnyOf();
            for (Condition c : conditions) {
                Predicate<StoredPoint> compiled = compile(c);
                FieldCondition guard = guard(c);
                if (guard == null) {
                    any.others.add(compiled);
                } else {
                    Object value = guard.getMatch().getMatchValueCase() == Match.MatchValueCase.INTEGER
                            ? (Object) guard.getMatch().getInteger() : guard.getMatch().getKeyword();
                    any.byKeyAndValue.computeIfAbsent(guard.getKey(), k -> new HashMap<>())
                            .computeIfAbsent(value, v -> new ArrayList<>()).add(compiled);
                }
            }
            return any;
        }

        /** A keyword or integer match the condition cannot be true without, or null. */
        private static FieldCondition guard(Condition c) {
            if (c.hasField() && exact(c.getField())) {
                return c.getField();
            }
            if (c.hasFilter()) {
                for (Condition must : c.getFilter().getMustList()) {
                    if (must.hasField() && exact(must.getField())) {
                        return must.getField();
                    }
                }
            }
            return null;
        }

        private static boolean exact(FieldCondition f) {
            return f.hasMatch() && (f.getMatch().getMatchValueCase() == Match.MatchValueCase.INTEGER
                    || f.getMatch().getMatchValueCase() == Match.MatchValueCase.KEYWORD);
        }

        @Override
        public boolean test(StoredPoint point) {
            for (Predicate<StoredPoint> c : others) {
                if (c.test(point)) {
                    return true;
                }
            }
            for (Map.Entry<String, Map<Object, List<Predicate<StoredPoint>>>> key : byKeyAndValue.entrySet()) {
                for (Value v : PayloadPaths.values(point.payload(), key.getKey())) {
                    Object value = v.hasIntegerValue() ? (Object) v.getIntegerValue()
                            : v.hasStringValue() ? v.getStringValue() : null;
                    List<Predicate<StoredPoint>> candidates = value == null ? null : key.getValue().get(value);
                    if (candidates != null) {
                        for (Predicate<StoredPoint> c : candidates) {
                            if (c.test(point)) {
                                return true;
                            }
                        }
                    }
                }
            }
            return false;
        }
    }

    private static Predicate<StoredPoint> compile(Condition c) {
        return switch (c.getConditionOneOfCase()) {
            case FIELD -> compile(c.getField());
            case HAS_ID -> {
                Set<PointKey> ids = new HashSet<>();
                c.getHasId().getHasIdList().forEach(id -> ids.add(PointKey.of(id)));
                yield point -> ids.contains(point.key());
            }
            case FILTER -> compile(c.getFilter());
            case IS_EMPTY -> {
                String key = c.getIsEmpty().getKey();
                yield point -> isEmpty(point, key);
            }
            case IS_NULL -> {
                String key = c.getIsNull().getKey();
                yield point -> isNull(point, key);
            }
            case HAS_VECTOR -> {
                String name = c.getHasVector().getHasVector();
                yield point -> point.dense().containsKey(name) || point.sparse().containsKey(name);
            }
            case NESTED -> throw StandInErrors.unsupported("nested conditions");
            case CONDITIONONEOF_NOT_SET -> throw StandInErrors.invalid("Wrong input: empty filter condition");
        };
    }

    private static Predicate<StoredPoint> compile(FieldCondition f) {
        String key = f.getKey();
        if (f.hasMatch()) {
            Predicate<Value> match = match(f.getMatch());
            boolean except = f.getMatch().getMatchValueCase() == Match.MatchValueCase.EXCEPT_KEYWORDS
                    || f.getMatch().getMatchValueCase() == Match.MatchValueCase.EXCEPT_INTEGERS;
            // except: no value may be one of the listed ones; every other match: any value matches
            return point -> except ? noneMatches(PayloadPaths.values(point.payload(), key), match)
                    : anyMatches(PayloadPaths.values(point.payload(), key), match);
        }
        if (f.hasRange()) {
            Range r = f.getRange();
            return point -> anyMatches(PayloadPaths.values(point.payload(), key),
                    v -> number(v) != null && inRange(r, number(v)));
        }
        if (f.hasDatetimeRange()) {
            io.qdrant.client.grpc.Common.DatetimeRange r = f.getDatetimeRange();
            return point -> anyMatches(PayloadPaths.values(point.payload(), key),
                    v -> instant(v) != null && inRange(r, instant(v)));
        }
        if (f.hasValuesCount()) {
            ValuesCount r = f.getValuesCount();
            return point -> countMatches(r, PayloadPaths.values(point.payload(), key).size());
        }
        if (f.hasIsEmpty()) {
            boolean empty = f.getIsEmpty();
            return point -> isEmpty(point, key) == empty;
        }
        if (f.hasIsNull()) {
            boolean isNull = f.getIsNull();
            return point -> isNull(point, key) == isNull;
        }
        throw StandInErrors.unsupported("this field condition on `" + key + "` (geo)");
    }

    private static boolean anyMatches(List<Value> values, Predicate<Value> match) {
        for (Value v : values) {
            if (match.test(v)) {
                return true;
            }
        }
        return false;
    }

    private static boolean noneMatches(List<Value> values, Predicate<Value> excluded) {
        return !anyMatches(values, excluded);
    }

    /** For the except forms, the predicate says whether a value is one of the EXCLUDED ones. */
    private static Predicate<Value> match(Match m) {
        return switch (m.getMatchValueCase()) {
            case KEYWORD -> {
                String keyword = m.getKeyword();
                yield v -> v.hasStringValue() && v.getStringValue().equals(keyword);
            }
            case INTEGER -> {
                long integer = m.getInteger();
                yield v -> v.hasIntegerValue() && v.getIntegerValue() == integer;
            }
            case BOOLEAN -> {
                boolean bool = m.getBoolean();
                yield v -> v.hasBoolValue() && v.getBoolValue() == bool;
            }
            case KEYWORDS -> {
                Set<String> any = new HashSet<>(m.getKeywords().getStringsList());
                yield v -> v.hasStringValue() && any.contains(v.getStringValue());
            }
            case INTEGERS -> {
                Set<Long> any = new HashSet<>(m.getIntegers().getIntegersList());
                yield v -> v.hasIntegerValue() && any.contains(v.getIntegerValue());
            }
            case EXCEPT_KEYWORDS -> {
                Set<String> none = new HashSet<>(m.getExceptKeywords().getStringsList());
                yield v -> v.hasStringValue() && none.contains(v.getStringValue());
            }
            case EXCEPT_INTEGERS -> {
                Set<Long> none = new HashSet<>(m.getExceptIntegers().getIntegersList());
                yield v -> v.hasIntegerValue() && none.contains(v.getIntegerValue());
            }
            case TEXT, PHRASE -> {
                String needle = m.hasText() ? m.getText() : m.getPhrase();
                yield v -> v.hasStringValue() && v.getStringValue().contains(needle);
            }
            case TEXT_ANY -> {
                List<String> tokens = List.of(m.getTextAny().split("\\s+"));
                yield v -> v.hasStringValue()
                        && tokens.stream().anyMatch(t -> !t.isEmpty() && v.getStringValue().contains(t));
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
