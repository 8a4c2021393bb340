package io.chat.api.http;

import io.quarkus.arc.Arc;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.spi.Bean;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.Path;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The methods each path takes, read once from the JAX-RS annotations of the resources, so that
 * OPTIONS and a 405 can name them (Allow, RFC 9110) without a list to keep in step by hand. HEAD goes
 * with GET and OPTIONS with every path, as the server answers them. The operational endpoints under
 * /q/ take GET only.
 */
public final class AllowedMethods {

    private static final Set<String> OPERATIONS = Set.of("GET", "HEAD", "OPTIONS");

    private final Map<Pattern, Set<String>> byTemplate;

    AllowedMethods(Map<Pattern, Set<String>> byTemplate) {
        this.byTemplate = byTemplate;
    }

    /** From every resource bean of the application. */
    static AllowedMethods ofResources() {
        List<Class<?>> resources = new ArrayList<>();
        for (Bean<?> bean : Arc.container().beanManager().getBeans(Object.class, Any.Literal.INSTANCE)) {
            if (bean.getBeanClass().isAnnotationPresent(Path.class)) {
                resources.add(bean.getBeanClass());
            }
        }
        return of(resources);
    }

    static AllowedMethods of(List<Class<?>> resources) {
        Map<String, Set<String>> methods = new LinkedHashMap<>();
        for (Class<?> resource : resources) {
            String base = resource.getAnnotation(Path.class).value();
            for (Method method : resource.getMethods()) {
                String verb = httpMethod(method);
                if (verb == null) {
                    continue;
                }
                Path path = method.getAnnotation(Path.class);
                Set<String> allowed = methods.computeIfAbsent(join(base, path == null ? "" : path.value()), t -> new TreeSet<>());
                allowed.add(verb);
                allowed.add("OPTIONS");
                if (verb.equals("GET")) {
                    allowed.add("HEAD");
                }
            }
        }
        Map<Pattern, Set<String>> byTemplate = new LinkedHashMap<>();
        methods.forEach((template, allowed) -> byTemplate.put(Pattern.compile(regex(template)), Set.copyOf(allowed)));
        return new AllowedMethods(byTemplate);
    }

    /** The methods {@code path} takes; empty when no resource is there. */
    public Set<String> of(String path) {
        if (path.startsWith("/q/")) {
            return OPERATIONS;
        }
        // Quarkus REST serves /applications/{token}/ as /applications/{token}.
        String resource = path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        Set<String> allowed = new TreeSet<>();
        byTemplate.forEach((template, methods) -> {
            if (template.matcher(resource).matches()) {
                allowed.addAll(methods);
            }
        });
        return allowed;
    }

    /** The Allow header's value: the methods in alphabetical order. */
    public static String header(Set<String> methods) {
        return String.join(", ", new TreeSet<>(methods));
    }

    private static String httpMethod(Method method) {
        for (Annotation annotation : method.getAnnotations()) {
            HttpMethod verb = annotation.annotationType().getAnnotation(HttpMethod.class);
            if (verb != null) {
                return verb.value();
            }
        }
        return null;
    }

    private static String join(String base, String path) {
        String joined = ("/" + base + "/" + path).replaceAll("/+", "/");
        return joined.length() > 1 && joined.endsWith("/") ? joined.substring(0, joined.length() - 1) : joined;
    }

    /** A JAX-RS path template as a regex: {name: regex} keeps its regex, {name} is one segment. */
    static String regex(String template) {
        StringBuilder regex = new StringBuilder();
        int i = 0;
        while (i < template.length()) {
            char c = template.charAt(i);
            if (c != '{') {
                regex.append(Pattern.quote(String.valueOf(c)));
                i++;
                continue;
            }
            int depth = 0;
            int end = i;
            do {
                char d = template.charAt(end);
                depth += d == '{' ? 1 : d == '}' ? -1 : 0;
                end++;
            } while (depth > 0);
            String variable = template.substring(i + 1, end - 1);
            int colon = variable.indexOf(':');
            regex.append('(').append(colon < 0 ? "[^/]+" : variable.substring(colon + 1).trim()).append(')');
            i = end;
        }
        return regex.toString();
    }
}
