package io.chat.worker.message;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready only while consuming from RabbitMQ (MySQL, Redis and search have Quarkus's own checks). */
@Readiness
@ApplicationScoped
public class ConsumerReadiness implements HealthCheck {

    private final OperationConsumer consumer;

    public ConsumerReadiness(OperationConsumer consumer) {
        this.consumer = consumer;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("RabbitMQ").status(consumer.isConsuming()).build();
    }
}
