package dev.zoomscheduler.testing;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The HTTP API routes of template.yaml and how each is authorised, read as SAM reads them: the API's
 * {@code DefaultAuthorizer}, unless the route's event says {@code Auth: Authorizer: NONE}.
 */
public record TemplateRoutes(String defaultAuthorizer, Map<String, String> authorizerByRoute) {

    public static TemplateRoutes read() {
        String defaultAuthorizer = null;
        Map<String, String> routes = new LinkedHashMap<>();
        for (Object each : SamTemplate.read(Path.of("template.yaml")).resources().values()) {
            Map<?, ?> resource = (Map<?, ?>) each;
            Map<?, ?> properties = child(resource, "Properties");
            if ("AWS::Serverless::HttpApi".equals(resource.get("Type"))) {
                defaultAuthorizer = (String) child(properties, "Auth").get("DefaultAuthorizer");
            }
            for (Object event : child(properties, "Events").values()) {
                Map<?, ?> route = (Map<?, ?>) event;
                if ("HttpApi".equals(route.get("Type"))) {
                    Map<?, ?> routeProperties = child(route, "Properties");
                    Object authorizer = child(routeProperties, "Auth").get("Authorizer");
                    routes.put(routeProperties.get("Method") + " " + routeProperties.get("Path"),
                            authorizer == null ? "default" : authorizer.toString());
                }
            }
        }
        return new TemplateRoutes(defaultAuthorizer, routes);
    }

    /** The routes that take requests without any authorisation. */
    public Set<String> publicRoutes() {
        Set<String> open = new TreeSet<>();
        authorizerByRoute.forEach((route, authorizer) -> {
            if (authorizer.equals("NONE")) {
                open.add(route);
            }
        });
        return open;
    }

    private static Map<?, ?> child(Map<?, ?> parent, String name) {
        return parent.get(name) instanceof Map<?, ?> found ? found : Map.of();
    }
}
