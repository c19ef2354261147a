package dev.zoomscheduler.connections;

import java.util.List;

import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

import com.amazonaws.services.lambda.runtime.Context;

import dev.zoomscheduler.observability.LogContext;

/**
 * Every HTTP invocation's log lines carry its Lambda request id and the connection it names ({@code X-Zoom-Connection},
 * {@code default} without one; none while the header is malformed, which the route then refuses).
 */
public class InvocationLogContext {

    @Inject
    Context lambda;

    @ServerRequestFilter
    public void begin(ContainerRequestContext request) {
        List<String> named = request.getHeaders().get(ConnectionIds.HEADER);
        String connection = named == null ? ConnectionIds.DEFAULT
                : named.size() == 1 && ConnectionIds.isValid(named.get(0)) ? named.get(0) : null;
        LogContext.invocation(lambda.getAwsRequestId(), connection);
    }

    @ServerResponseFilter
    public void end() {
        LogContext.clear();
    }
}
