package io.apex.migrator.cli;

import io.apex.migrator.release.ReleasePlan;
import io.apex.migrator.state.ReleaseStore;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The {@code --output json} shapes of {@code release plan} and {@code release status} (README "--output json"). */
final class ReleaseJson {

    private ReleaseJson() {
    }

    static Map<String, Object> plan(ReleasePlan plan) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("release", plan.release());
        m.put("description", plan.description());
        m.put("applicable", plan.applicable());
        m.put("steps", plan.steps().stream().map(s -> {
            Map<String, Object> step = new LinkedHashMap<>();
            step.put("position", s.position());
            step.put("part", s.part());
            step.put("subject", s.subject());
            step.put("now", s.now());
            step.put("after", s.then());
            step.put("action", s.action());
            return step;
        }).toList());
        m.put("problems", plan.problems());
        return m;
    }

    static Map<String, Object> release(ReleaseStore.Release r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", r.id().toString());
        m.put("name", r.name());
        m.put("commandId", r.commandId());
        m.put("state", r.state());
        m.put("failedPart", r.failedPart());
        m.put("failure", r.failure());
        m.put("createdAt", r.createdAt() == null ? null : r.createdAt().toString());
        m.put("finishedAt", r.finishedAt() == null ? null : r.finishedAt().toString());
        return m;
    }

    static Map<String, Object> release(ReleaseStore.Release r, List<ReleaseStore.Part> parts) {
        Map<String, Object> m = release(r);
        m.put("parts", parts.stream().map(p -> {
            Map<String, Object> part = new LinkedHashMap<>();
            part.put("position", p.position());
            part.put("kind", p.kind());
            part.put("subject", p.subject());
            part.put("before", p.previous());
            part.put("target", p.target());
            part.put("runId", p.runId() == null ? null : p.runId().toString());
            part.put("state", p.state());
            part.put("detail", p.detail());
            return part;
        }).toList());
        return m;
    }
}
