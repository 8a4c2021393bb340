package io.chat.common.messaging;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready only while the app's link to RabbitMQ is open, in both apps (MySQL, Redis and search have
 * Quarkus's own checks).
 */
@Readiness
@ApplicationScoped
public class BrokerReadiness implements HealthCheck {

    private final BrokerLink link;

    public BrokerReadiness(BrokerLink link) {
        this.link = link;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("RabbitMQ").status(link.isConnected()).build();
    }
}
