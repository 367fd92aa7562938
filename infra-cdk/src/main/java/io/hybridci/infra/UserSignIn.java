package io.hybridci.infra;

import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.aws_apigatewayv2_authorizers.HttpUserPoolAuthorizer;
import software.amazon.awscdk.services.apigatewayv2.IHttpRouteAuthorizer;
import software.amazon.awscdk.services.cognito.AccountRecovery;
import software.amazon.awscdk.services.cognito.AuthFlow;
import software.amazon.awscdk.services.cognito.CognitoDomainOptions;
import software.amazon.awscdk.services.cognito.FeaturePlan;
import software.amazon.awscdk.services.cognito.Mfa;
import software.amazon.awscdk.services.cognito.MfaSecondFactor;
import software.amazon.awscdk.services.cognito.OAuthFlows;
import software.amazon.awscdk.services.cognito.OAuthScope;
import software.amazon.awscdk.services.cognito.OAuthSettings;
import software.amazon.awscdk.services.cognito.PasswordPolicy;
import software.amazon.awscdk.services.cognito.SignInAliases;
import software.amazon.awscdk.services.cognito.UserPool;
import software.amazon.awscdk.services.cognito.UserPoolClient;
import software.amazon.awscdk.services.cognito.UserPoolClientIdentityProvider;
import software.amazon.awscdk.services.cognito.UserPoolClientOptions;
import software.amazon.awscdk.services.cognito.UserPoolDomain;
import software.amazon.awscdk.services.cognito.UserPoolDomainOptions;
import software.amazon.awscdk.services.cognito.UserPoolGroup;
import software.constructs.Construct;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Who people are: a Cognito user pool with the groups that are the api function's roles
 * ({@link #GROUPS}), its hosted sign-in page, the app client of the dashboard and of {@code ./hybridci login}
 * (authorization code with PKCE, no client secret: neither a browser nor a CLI can keep one), and the JWT
 * authorizer of the user routes.
 *
 * <p>No self sign-up: an admin creates each person ({@code aws cognito-idp admin-create-user}) and
 * puts them in a group, since anyone who signs up could otherwise read every build log. MFA is
 * optional (TOTP, no SMS: SMS needs an origination identity and costs per message); the pool's
 * admin can require it by policy later without a redeploy of this stack.
 */
public final class UserSignIn extends Construct {

    /**
     * Where {@code ./hybridci login} receives the code (its loopback server binds 127.0.0.1 on this port).
     * Cognito takes plain http only for {@code localhost} and matches the port exactly, so the port is fixed;
     * the CLI reads this URL from {@code config.json} ({@code oidc.cliRedirectUri}).
     */
    static final String CLI_CALLBACK_URL = "http://localhost:8976/callback";

    /** Group name → what it may do; the api function reads them from {@code cognito:groups}. */
    static final Map<String, String> GROUPS = groups();

    private final UserPool pool;
    private final UserPoolDomain domain;
    private final UserPoolClient client;
    private final IHttpRouteAuthorizer authorizer;

    /**
     * @param domainPrefix the hosted UI's {@code <prefix>.auth.<region>.amazoncognito.com}, unique per region
     * @param dashboardUrl where Cognito sends the browser back after sign-in and sign-out
     */
    public UserSignIn(Construct scope, String id, String domainPrefix, String dashboardUrl) {
        super(scope, id);
        this.pool = UserPool.Builder.create(this, "Users")
                .selfSignUpEnabled(false)
                .signInAliases(SignInAliases.builder().email(true).build())
                .signInCaseSensitive(false)
                .passwordPolicy(PasswordPolicy.builder()
                        .minLength(12).requireLowercase(true).requireUppercase(true)
                        .requireDigits(true).requireSymbols(true)
                        .tempPasswordValidity(Duration.days(3)).build())
                .mfa(Mfa.OPTIONAL)
                .mfaSecondFactor(MfaSecondFactor.builder().otp(true).sms(false).build())
                .accountRecovery(AccountRecovery.EMAIL_ONLY)
                // Essentials: hosted sign-in, groups and MFA; Plus (threat protection) is priced per user.
                .featurePlan(FeaturePlan.ESSENTIALS)
                // People's accounts outlive a stack that is torn down and rebuilt.
                .removalPolicy(RemovalPolicy.RETAIN)
                .build();
        int precedence = 0;
        for (Map.Entry<String, String> group : GROUPS.entrySet()) {
            UserPoolGroup.Builder.create(this, Names.pascal(group.getKey()) + "Group")
                    .userPool(pool)
                    .groupName(group.getKey())
                    .description(group.getValue())
                    // Lower wins when Cognito must pick one role claim: admin first.
                    .precedence(precedence++)
                    .build();
        }
        this.domain = pool.addDomain("HostedUi", UserPoolDomainOptions.builder()
                .cognitoDomain(CognitoDomainOptions.builder().domainPrefix(domainPrefix).build())
                .build());
        this.client = pool.addClient("Dashboard", UserPoolClientOptions.builder()
                .generateSecret(false)
                // Only the hosted UI's code flow: no password ever reaches the page or the API.
                .authFlows(AuthFlow.builder().build())
                .oAuth(OAuthSettings.builder()
                        .flows(OAuthFlows.builder().authorizationCodeGrant(true).build())
                        .scopes(List.of(OAuthScope.OPENID, OAuthScope.EMAIL, OAuthScope.PROFILE))
                        // The page, and the CLI's loopback redirect (the same public client: both use PKCE).
                        .callbackUrls(List.of(dashboardUrl, CLI_CALLBACK_URL))
                        .logoutUrls(List.of(dashboardUrl))
                        .build())
                .supportedIdentityProviders(List.of(UserPoolClientIdentityProvider.COGNITO))
                .preventUserExistenceErrors(true)
                .accessTokenValidity(Duration.hours(1))
                .idTokenValidity(Duration.hours(1))
                // A working day; then the page sends the person through the hosted UI again.
                .refreshTokenValidity(Duration.hours(12))
                .enableTokenRevocation(true)
                .build());
        // issuer = the pool, audience = this client: a token of another pool or client is refused.
        this.authorizer = HttpUserPoolAuthorizer.Builder.create("UserAuthorizer", pool)
                .userPoolClients(List.of(client))
                .build();
    }

    private static Map<String, String> groups() {
        Map<String, String> groups = new LinkedHashMap<>();
        groups.put("admin", "Hybrid CI admin: also registration tokens, secret rotation, agent removal, manual builds");
        groups.put("operator", "Hybrid CI operator: also cancel, retry, approve, reject; pause, resume, drain agents");
        groups.put("viewer", "Hybrid CI viewer: reads builds, logs, agents, metrics, audit");
        return java.util.Collections.unmodifiableMap(groups);
    }

    public UserPool pool() {
        return pool;
    }

    public UserPoolClient client() {
        return client;
    }

    /** The JWT authorizer of the user routes. */
    public IHttpRouteAuthorizer authorizer() {
        return authorizer;
    }

    /**
     * The OpenID Connect issuer: {@code https://cognito-idp.<region>.amazonaws.com/<pool id>}, as the
     * authorizer checks it (the pool's ProviderURL attribute lacks the scheme, so it is not used here).
     */
    public String issuer() {
        Stack stack = Stack.of(this);
        return "https://cognito-idp." + stack.getRegion() + "." + stack.getUrlSuffix() + "/" + pool.getUserPoolId();
    }

    /** The hosted UI: {@code https://<prefix>.auth.<region>.amazoncognito.com}. */
    public String hostedUiUrl() {
        return domain.baseUrl();
    }
}
