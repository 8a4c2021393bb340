package io.chat.api.message.messaging;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready only while messages can be published (MySQL, Redis and search have Quarkus's own checks). */
@Readiness
@ApplicationScoped
public class BrokerReadiness implements HealthCheck {

    private final OperationPublisher publisher;

    public BrokerReadiness(OperationPublisher publisher) {
        this.publisher = publisher;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("RabbitMQ").status(publisher.isReady()).build();
    }
}
