package dev.zoomscheduler.install;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;

/**
 * Whether API Gateway authorised the caller of an HTTP API event: with IAM authorisation it puts the signer's identity in
 * {@code requestContext.authorizer.iam}; a JWT or Lambda authorizer puts its own result there. An event without any is
 * from a public route, or from no API Gateway at all.
 */
final class SignedCaller {

    private SignedCaller() {
    }

    static boolean of(APIGatewayV2HTTPEvent event) {
        APIGatewayV2HTTPEvent.RequestContext context = event == null ? null : event.getRequestContext();
        APIGatewayV2HTTPEvent.RequestContext.Authorizer authorizer = context == null ? null : context.getAuthorizer();
        if (authorizer == null) {
            return false;
        }
        APIGatewayV2HTTPEvent.RequestContext.IAM iam = authorizer.getIam();
        boolean signed = iam != null && notBlank(iam.getUserArn()) || iam != null && notBlank(iam.getCallerId());
        boolean jwt = authorizer.getJwt() != null && authorizer.getJwt().getClaims() != null && !authorizer.getJwt().getClaims().isEmpty();
        boolean lambda = authorizer.getLambda() != null && !authorizer.getLambda().isEmpty();
        return signed || jwt || lambda;
    }

    private static boolean notBlank(String value) {
        return value != null && !value.isBlank();
    }
}
