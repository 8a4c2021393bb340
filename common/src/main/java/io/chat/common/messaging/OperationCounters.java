package io.chat.common.messaging;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/** One counter per operation type (tag {@code type}: create, update, delete), registered once. */
public final class OperationCounters {

    private final Map<MessageOperation.Type, Counter> counters = new EnumMap<>(MessageOperation.Type.class);

    public OperationCounters(MeterRegistry registry, String name, String description) {
        for (MessageOperation.Type type : MessageOperation.Type.values()) {
            counters.put(type, Counter.builder(name).description(description)
                    .tag("type", type.name().toLowerCase(Locale.ROOT)).register(registry));
        }
    }

    public void increment(MessageOperation.Type type) {
        counters.get(type).increment();
    }
}
