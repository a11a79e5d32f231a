package io.apex.migrator.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.apex.migrator.api.Messages;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.io.IOException;
import java.lang.annotation.Annotation;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.lang.reflect.WildcardType;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every type Jackson binds by reflection is registered for reflection, so the native image can (GraalVM drops
 * reflective access that is not declared, and the JVM build never notices). Serialised types are: every record and
 * enum of the message ({@code api}) and dashboard packages, every application class that carries a Jackson
 * annotation, the few records written as JSON elsewhere ({@link #ELSEWHERE}), and every application type their
 * record components reach.
 */
class NativeReflectionTest {

    private static final String BASE = "io.apex.migrator.";
    private static final List<String> SERIALISED_PACKAGES = List.of(BASE + "api", BASE + "dashboard");
    /** Records Jackson writes and reads outside those packages without carrying an annotation of its own. */
    private static final List<String> ELSEWHERE = List.of(BASE + "pipeline.VerificationReport$PassSummary",
            BASE + "qdrant.CollectionSnapshot");

    @Test
    void everyJacksonBoundTypeIsRegisteredForReflection() throws Exception {
        // given
        List<Class<?>> classes = applicationClasses();
        Set<Class<?>> registered = registered(classes);
        Set<Class<?>> roots = new HashSet<>();
        for (Class<?> c : classes) {
            if ((c.isRecord() || c.isEnum()) && SERIALISED_PACKAGES.contains(c.getPackageName())
                    || carriesJacksonAnnotation(c)) {
                roots.add(c);
            }
        }
        for (String name : ELSEWHERE) {
            roots.add(Class.forName(name, false, getClass().getClassLoader()));
        }

        // when
        Set<Class<?>> serialised = reachableFrom(roots);

        // then
        assertThat(serialised).as("Jackson-bound application types").extracting(Class::getName)
                .contains(BASE + "api.MigrateCommand", BASE + "api.PointKey", BASE + "dashboard.RunDetail$BatchCounts",
                        BASE + "qdrant.CollectionSpec$HnswSpec", ELSEWHERE.get(0));
        Set<String> missing = new TreeSet<>();
        serialised.stream().filter(c -> !registered.contains(c)).forEach(c -> missing.add(c.getName()));
        assertThat(missing).as("serialised by Jackson but not registered for reflection (add @RegisterForReflection "
                + "to the type, or to api/NativeReflection's targets for a message record)").isEmpty();
    }

    @Test
    void theScanSeesAnUnregisteredRecordItReaches() throws Exception {
        // given: the same walk over a record of this test, which nothing registers
        Set<Class<?>> registered = registered(applicationClasses());

        // when
        Set<Class<?>> reached = reachableFrom(Set.of(Unregistered.class));

        // then
        assertThat(reached).contains(Unregistered.class, Nested.class);
        assertThat(registered).doesNotContain(Unregistered.class, Nested.class);
    }

    record Nested(int value) {
    }

    record Unregistered(List<Nested> values) {
    }

    /** Main classes of the application (target/classes), loaded without initialising them. */
    private static List<Class<?>> applicationClasses() throws IOException, URISyntaxException, ClassNotFoundException {
        Path root = Path.of(Messages.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        assertThat(root).as("main classes as a directory").isDirectory();
        List<String> names;
        try (Stream<Path> files = Files.walk(root.resolve("io/apex/migrator"))) {
            names = files.map(f -> root.relativize(f).toString()).filter(n -> n.endsWith(".class"))
                    .map(n -> n.substring(0, n.length() - ".class".length()).replace('/', '.').replace('\\', '.'))
                    .sorted().toList();
        }
        List<Class<?>> classes = new java.util.ArrayList<>();
        for (String name : names) {
            classes.add(Class.forName(name, false, NativeReflectionTest.class.getClassLoader()));
        }
        return classes;
    }

    /** What Quarkus registers: annotated classes or their targets, with their nested classes unless ignoreNested. */
    private static Set<Class<?>> registered(List<Class<?>> classes) throws ClassNotFoundException {
        Set<Class<?>> out = new HashSet<>();
        for (Class<?> c : classes) {
            RegisterForReflection r = c.getAnnotation(RegisterForReflection.class);
            if (r == null) {
                continue;
            }
            List<Class<?>> named = new java.util.ArrayList<>(Arrays.asList(r.targets()));
            for (String className : r.classNames()) {
                named.add(Class.forName(className, false, c.getClassLoader()));
            }
            if (named.isEmpty()) {
                named.add(c);
            }
            for (Class<?> target : named) {
                addWithNested(out, target, !r.ignoreNested());
            }
        }
        return out;
    }

    private static void addWithNested(Set<Class<?>> out, Class<?> c, boolean nested) {
        out.add(c);
        if (nested) {
            for (Class<?> inner : c.getDeclaredClasses()) {
                addWithNested(out, inner, true);
            }
        }
    }

    /** The roots and every application type their record components reach (generic arguments included). */
    private static Set<Class<?>> reachableFrom(Set<Class<?>> roots) {
        Set<Class<?>> seen = new HashSet<>();
        Deque<Type> todo = new ArrayDeque<>(roots);
        while (!todo.isEmpty()) {
            Type t = todo.pop();
            if (t instanceof ParameterizedType p) {
                todo.push(p.getRawType());
                todo.addAll(Arrays.asList(p.getActualTypeArguments()));
            } else if (t instanceof GenericArrayType a) {
                todo.push(a.getGenericComponentType());
            } else if (t instanceof WildcardType w) {
                todo.addAll(Arrays.asList(w.getUpperBounds()));
            } else if (t instanceof Class<?> c) {
                if (c.isArray()) {
                    todo.push(c.getComponentType());
                } else if (c.getName().startsWith(BASE) && seen.add(c) && c.isRecord()) {
                    for (RecordComponent component : c.getRecordComponents()) {
                        todo.push(component.getGenericType());
                    }
                }
            }
        }
        return seen;
    }

    private static boolean carriesJacksonAnnotation(Class<?> c) {
        List<AnnotatedElement> elements = new java.util.ArrayList<>();
        elements.add(c);
        elements.addAll(Arrays.asList(c.getDeclaredMethods()));
        elements.addAll(Arrays.asList(c.getDeclaredFields()));
        elements.addAll(Arrays.asList(c.getDeclaredConstructors()));
        if (c.isRecord()) {
            elements.addAll(Arrays.asList(c.getRecordComponents()));
        }
        for (AnnotatedElement e : elements) {
            for (Annotation a : e.getDeclaredAnnotations()) {
                if (a.annotationType().getPackageName().startsWith("com.fasterxml.jackson")) {
                    return true;
                }
            }
        }
        return false;
    }
}
